//! Command-line arguments, parsed by hand: a few flags don't justify another dependency to build.

pub const USAGE: &str =
    "usage: continuum-localnet [--host 127.0.0.1] [--rpc-port 8899] [--ws-port 8900] \
[--slot-time-ms 400] [--db <sqlite file>] [--verbose]";

pub struct Args {
    pub host: String,
    pub rpc_port: u16,
    pub ws_port: u16,
    pub slot_time_ms: u64,
    pub db: Option<String>,
    pub verbose: bool,
}

impl Args {
    pub fn parse(mut it: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut args = Args {
            host: "127.0.0.1".into(),
            rpc_port: 8899,
            ws_port: 0,
            slot_time_ms: 400,
            db: None,
            verbose: false,
        };
        while let Some(flag) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
            match flag.as_str() {
                "--host" => args.host = value("--host")?,
                "--rpc-port" => args.rpc_port = port(&value("--rpc-port")?)?,
                "--ws-port" => args.ws_port = port(&value("--ws-port")?)?,
                "--slot-time-ms" => {
                    args.slot_time_ms = value("--slot-time-ms")?
                        .parse()
                        .ok()
                        .filter(|ms| *ms > 0)
                        .ok_or("--slot-time-ms must be a positive integer")?
                }
                "--db" => args.db = Some(value("--db")?),
                "--verbose" => args.verbose = true,
                "-h" | "--help" => return Err("help".into()),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        // Solana's convention: the websocket listens on the port after the RPC port.
        if args.ws_port == 0 {
            args.ws_port = args
                .rpc_port
                .checked_add(1)
                .ok_or("--rpc-port too large for the default --ws-port")?;
        }
        Ok(args)
    }
}

fn port(s: &str) -> Result<u16, String> {
    s.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("invalid port {s}"))
}
