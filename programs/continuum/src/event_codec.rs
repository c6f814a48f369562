//! Typed Anchor events: `sol_log_data(sha256("event:<Name>")[..8] ++ borsh payload)`.
//!
//! [`typed_event!`] declares an event struct from one list of fields and derives everything
//! else from that list, so the layout exists once: the payload size (`DATA_LEN`), each field's
//! byte offset (`LAYOUT`, host-only, checked against the IDL's borsh layout), `encode` (into an
//! exact-size stack buffer: no allocation, no formatting) and `emit`.

/// A fixed-size borsh value an event field may hold.
pub trait BorshField {
    /// Encoded size in bytes.
    const LEN: usize;
    /// Writes the value at `buf[at..]` and returns the offset after it.
    fn put(&self, buf: &mut [u8], at: usize) -> usize;
}

/// Writes `bytes` at `buf[at..at + N]` and returns `at + N`. A write past the end is skipped
/// rather than a panic; it never happens, since every buffer is sized from the same `LEN`s.
#[inline(always)]
pub fn put_bytes<const N: usize>(buf: &mut [u8], at: usize, bytes: &[u8; N]) -> usize {
    let end = at + N;
    if let Some(dst) = buf.get_mut(at..end) {
        dst.copy_from_slice(bytes);
    }
    end
}

impl BorshField for u8 {
    const LEN: usize = 1;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, &[*self])
    }
}

impl BorshField for bool {
    const LEN: usize = 1;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, &[*self as u8])
    }
}

impl BorshField for u32 {
    const LEN: usize = 4;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, &self.to_le_bytes())
    }
}

impl BorshField for u64 {
    const LEN: usize = 8;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, &self.to_le_bytes())
    }
}

impl BorshField for i64 {
    const LEN: usize = 8;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, &self.to_le_bytes())
    }
}

/// A pubkey or a 32-byte hash (borsh `pubkey` / `[u8; 32]`: the raw bytes).
impl BorshField for [u8; 32] {
    const LEN: usize = 32;
    #[inline(always)]
    fn put(&self, buf: &mut [u8], at: usize) -> usize {
        put_bytes(buf, at, self)
    }
}

/// An event's name, discriminator, payload size and field offsets (host-only: a table of
/// `&str` would put pointers in SBPF read-only data).
#[cfg(not(target_arch = "bpf"))]
#[derive(Clone, Copy, Debug)]
pub struct EventLayout {
    /// The event's name (`sha256("event:<name>")[..8]` is its discriminator).
    pub name: &'static str,
    /// `sha256("event:<name>")[..8]`.
    pub discriminator: [u8; 8],
    /// Borsh size of the payload (after the discriminator).
    pub size: usize,
    /// `(field, byte offset in the payload)`, in borsh order.
    pub fields: &'static [(&'static str, usize)],
}

/// Turns `(field, size)` pairs into `(field, offset)` pairs (borsh packs fields back to back).
#[cfg(not(target_arch = "bpf"))]
pub const fn offsets<const N: usize>(
    sizes: [(&'static str, usize); N],
) -> [(&'static str, usize); N] {
    let mut out = sizes;
    let mut at = 0;
    let mut i = 0;
    while i < N {
        out[i].1 = at;
        at += sizes[i].1;
        i += 1;
    }
    out
}

/// Declares a typed event:
///
/// ```ignore
/// typed_event! {
///     /// Docs.
///     MarketOpened = discriminator::MARKET_OPENED {
///         /// The market account.
///         market: [u8; 32],
///     }
/// }
/// ```
///
/// gives `pub struct MarketOpened { pub market: [u8; 32] }` with `DISCRIMINATOR`, `DATA_LEN`,
/// `LAYOUT` (host-only), `encode` (discriminator ++ fields in the listed order) and `emit`.
macro_rules! typed_event {
    (
        $(#[$meta:meta])*
        $name:ident = $disc:path {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl $name {
            /// `sha256("event:<Name>")[..8]`.
            pub const DISCRIMINATOR: [u8; 8] = $disc;

            /// Borsh size of the payload (after the 8-byte discriminator).
            pub const DATA_LEN: usize =
                0 $( + <$ty as $crate::event_codec::BorshField>::LEN )+;

            /// Name, size and byte offset of each payload field (checked against the IDL by
            /// a host test).
            #[cfg(not(target_arch = "bpf"))]
            pub const LAYOUT: $crate::event_codec::EventLayout = $crate::event_codec::EventLayout {
                name: stringify!($name),
                discriminator: $disc,
                size: Self::DATA_LEN,
                fields: &$crate::event_codec::offsets([
                    $( (stringify!($field), <$ty as $crate::event_codec::BorshField>::LEN) ),+
                ]),
            };

            /// Discriminator + payload.
            #[inline(always)]
            pub fn encode(&self) -> [u8; 8 + Self::DATA_LEN] {
                let mut buf = [0u8; 8 + Self::DATA_LEN];
                let at = $crate::event_codec::put_bytes(&mut buf, 0, &Self::DISCRIMINATOR);
                $( let at = $crate::event_codec::BorshField::put(&self.$field, &mut buf, at); )+
                let _ = at;
                buf
            }

            /// Logs the event (`sol_log_data`).
            #[inline(always)]
            pub fn emit(&self) {
                $crate::sys::emit(&self.encode());
            }
        }
    };
}
pub(crate) use typed_event;

/// Host-test helper: checks that `encoded` is `layout`'s discriminator followed by exactly the
/// `expected` field bytes, each at the field's offset and in the layout's order.
#[cfg(test)]
pub fn assert_fields(encoded: &[u8], layout: &EventLayout, expected: &[(&str, &[u8])]) {
    assert_eq!(encoded.len(), 8 + layout.size, "{} size", layout.name);
    assert_eq!(
        encoded[..8],
        layout.discriminator,
        "{} discriminator",
        layout.name
    );
    assert_eq!(
        layout.fields.len(),
        expected.len(),
        "{} fields",
        layout.name
    );
    let payload = &encoded[8..];
    let mut end = 0;
    for ((name, at), (listed, bytes)) in layout.fields.iter().zip(expected) {
        assert_eq!(name, listed, "{} field order", layout.name);
        assert_eq!(
            &payload[*at..*at + bytes.len()],
            *bytes,
            "{}.{name}",
            layout.name
        );
        end = at + bytes.len();
    }
    assert_eq!(
        end, layout.size,
        "{}: last field ends the payload",
        layout.name
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_pack_fields_back_to_back() {
        assert_eq!(
            offsets([("a", 32), ("b", 1), ("c", 8), ("d", 4)]),
            [("a", 0), ("b", 32), ("c", 33), ("d", 41)]
        );
    }

    #[test]
    fn fields_encode_little_endian_and_a_write_past_the_end_is_skipped() {
        let mut buf = [0u8; 14];
        let at = 0x0102_0304u32.put(&mut buf, 0);
        let at = (-2i64).put(&mut buf, at);
        let at = true.put(&mut buf, at);
        assert_eq!(at, 13);
        assert_eq!(buf[..4], [4, 3, 2, 1]);
        assert_eq!(buf[4..12], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(buf[12..], [1, 0]);
        assert_eq!(7u64.put(&mut buf, 13), 21);
        assert_eq!(buf[13], 0, "a partial write would have put 7 here");
    }
}
