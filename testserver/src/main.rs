//! `qps-testserver`: serves the local QPS server until killed, for trying a client by hand.
//!
//! ```text
//! qps-testserver [--port N] [--user LOGIN] [--password SECRET] [--gateway-401]
//!                [--samples] [--generate MODULE/ENTITY=N]...
//! ```

use std::process::ExitCode;

use qps_testserver::{Config, TestServer};

const USAGE: &str = "usage: qps-testserver [--port N] [--user LOGIN] [--password SECRET] [--gateway-401] \
                     [--samples] [--generate MODULE/ENTITY=N]...";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("qps-testserver: {message}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::default();
    let mut samples = false;
    let mut generate: Vec<(String, String, usize)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                config.port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?;
            }
            "--user" => config.username = value("--user")?,
            "--password" => config.password = value("--password")?,
            "--gateway-401" => config.gateway_401 = true,
            "--samples" => samples = true,
            "--generate" => {
                let spec = value("--generate")?;
                let (entity, n) = spec
                    .split_once('=')
                    .ok_or(format!("--generate {spec}: expected MODULE/ENTITY=N"))?;
                let (module, entity) = entity
                    .split_once('/')
                    .ok_or(format!("--generate {spec}: expected MODULE/ENTITY=N"))?;
                let n = n.parse().map_err(|e| format!("--generate {spec}: {e}"))?;
                generate.push((module.to_owned(), entity.to_owned(), n));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }

    let server = TestServer::start_blocking(config);
    if samples {
        let n = server.seed_samples().map_err(|e| e.to_string())?;
        println!("loaded {n} records from the seed samples");
    }
    for (module, entity, n) in generate {
        server
            .generate_named(&module, &entity, n)
            .map_err(|e| e.to_string())?;
        println!("generated {n} {module}/{entity} records");
    }
    let config = server.config();
    println!(
        "serving {} (user {:?}, password {:?}); stop with Ctrl-C",
        server.base_url(),
        config.username,
        config.password
    );
    loop {
        std::thread::park();
    }
}
