//! `continuum-localnet`: an offline Surfpool simnet on a chosen RPC/websocket port.
//!
//! It prints one `ready <rpc-url> <ws-url>` line on stdout once the RPC server accepts requests,
//! logs Surfpool's own events on stderr, and stops cleanly on SIGTERM/SIGINT (storage flushed, RPC
//! servers closed) so a supervisor can stop and restart it without leaving a port bound.

mod args;

use std::io::Write;
use std::thread;

use crossbeam_channel::unbounded;
use surfpool_core::{
    start_local_surfnet,
    surfnet::svm::{SurfnetSvm, SurfnetSvmConfig},
};
use surfpool_types::{RpcConfig, SimnetCommand, SimnetConfig, SimnetEvent, SurfpoolConfig};

fn main() {
    let args = match args::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("continuum-localnet: {msg}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    if let Err(msg) = run(args) {
        eprintln!("continuum-localnet: {msg}");
        std::process::exit(1);
    }
}

fn run(args: args::Args) -> Result<(), String> {
    let svm_config = SurfnetSvmConfig {
        slot_time: args.slot_time_ms,
        ..SurfnetSvmConfig::default()
    };
    // With a database file the ledger survives a restart (stop/start keeps the deployed program);
    // without one everything lives in memory.
    let (svm, events_rx, geyser_rx) = SurfnetSvm::new_with_db(args.db.as_deref(), svm_config)
        .map_err(|e| format!("cannot open the simnet storage: {e}"))?;

    let config = SurfpoolConfig {
        simnets: vec![SimnetConfig {
            // Offline: the default forks mainnet, which needs the internet.
            offline_mode: true,
            remote_rpc_url: None,
            slot_time: args.slot_time_ms,
            ..SimnetConfig::default()
        }],
        rpc: RpcConfig {
            bind_host: args.host.clone(),
            bind_port: args.rpc_port,
            ws_port: args.ws_port,
            ..RpcConfig::default()
        },
        ..SurfpoolConfig::default()
    };

    let (commands_tx, commands_rx) = unbounded::<SimnetCommand>();
    let runloop_commands_tx = commands_tx.clone();
    // The runloop blocks its thread on channel selects, so it gets a thread of its own.
    let runloop = thread::Builder::new()
        .name("surfnet".into())
        .spawn(move || {
            let future =
                start_local_surfnet(svm, config, runloop_commands_tx, commands_rx, geyser_rx);
            hiro_system_kit::nestable_block_on(future).map_err(|e| e.to_string())
        })
        .map_err(|e| format!("cannot spawn the simnet thread: {e}"))?;

    // Surfpool's event channel is bounded: it must be drained for the whole run or the simnet
    // stalls. Readiness (CoreStarted) is reported to the main thread through `ready_tx`.
    let (ready_tx, ready_rx) = unbounded::<Result<(), String>>();
    let verbose = args.verbose;
    thread::Builder::new()
        .name("events".into())
        .spawn(move || drain_events(events_rx, ready_tx, verbose))
        .map_err(|e| format!("cannot spawn the event thread: {e}"))?;

    match ready_rx.recv() {
        Ok(Ok(())) => {}
        Ok(Err(msg)) => return Err(msg),
        Err(_) => {
            // The event channel closed before readiness: the runloop failed (e.g. port in use).
            return match runloop.join() {
                Ok(Err(e)) => Err(format!("simnet failed to start: {e}")),
                _ => Err("simnet stopped before it was ready".into()),
            };
        }
    }
    println!(
        "ready http://{host}:{rpc} ws://{host}:{ws}",
        host = args.host,
        rpc = args.rpc_port,
        ws = args.ws_port
    );
    let _ = std::io::stdout().flush();

    wait_for_termination();
    eprintln!("continuum-localnet: stopping");
    let _ = commands_tx.send(SimnetCommand::Terminate(None));
    match runloop.join() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("simnet stopped with an error: {e}")),
        Err(_) => Err("simnet thread panicked".into()),
    }
}

fn drain_events(
    events_rx: crossbeam_channel::Receiver<SimnetEvent>,
    ready_tx: crossbeam_channel::Sender<Result<(), String>>,
    verbose: bool,
) {
    for event in events_rx.iter() {
        match event {
            SimnetEvent::CoreStarted(_) => {
                let _ = ready_tx.send(Ok(()));
            }
            SimnetEvent::Aborted(msg) => {
                eprintln!("[surfpool] aborted: {msg}");
                let _ = ready_tx.send(Err(format!("simnet aborted: {msg}")));
            }
            SimnetEvent::ErrorLog(_, msg) => eprintln!("[surfpool] error: {msg}"),
            SimnetEvent::WarnLog(_, msg) => eprintln!("[surfpool] warn: {msg}"),
            SimnetEvent::InfoLog(_, msg) if verbose => eprintln!("[surfpool] {msg}"),
            SimnetEvent::Shutdown => break,
            _ => {}
        }
    }
}

/// Blocks until SIGTERM or SIGINT.
fn wait_for_termination() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime for signals");
    rt.block_on(async {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    });
}
