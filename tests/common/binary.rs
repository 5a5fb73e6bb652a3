//! The contact-proxy binary, run as an administrator runs it: a command with a
//! clean environment, and a running process whose output is collected.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BINARY: &str = env!("CARGO_BIN_EXE_contact-proxy");

pub fn command() -> Command {
    let mut command = Command::new(BINARY);
    for var in [
        "SETTER_API_KEY",
        "SETTER_API_KEY_FILE",
        "CONTACT_PROXY_DEMO",
        "CONTACT_PROXY_UPSTREAM",
        "CONTACT_PROXY_AUDIT_DB",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    // The default audit trail goes under the data directory: this test run's own.
    command.env("XDG_DATA_HOME", data_home());
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// A data directory for the binaries this test process starts, emptied at
/// first use.
pub fn data_home() -> std::path::PathBuf {
    static HOME: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    HOME.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("contact-proxy-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

/// A running contact-proxy and everything it printed so far.
pub struct Running {
    pub child: Child,
    pub url: String,
    pub output: Arc<Mutex<String>>,
}

impl Running {
    /// Starts the binary with `args` on a free port and waits until it listens.
    pub fn start(command: Command, args: &[&str]) -> Running {
        let mut all = vec!["--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Running::spawn(command, &all)
    }

    /// Starts `contact-proxy sandbox` on a free port (its key in `command`'s
    /// SANDBOX_API_KEY) and waits until it listens.
    pub fn start_sandbox(command: Command) -> Running {
        Running::spawn(command, &["sandbox", "--listen", "127.0.0.1:0"])
    }

    fn spawn(mut command: Command, args: &[&str]) -> Running {
        let mut child = command.args(args).spawn().unwrap();
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((_, address)) = line.split_once("listening on http://") {
                    let _ =
                        tx.send(address.split_whitespace().next().unwrap_or_default().to_owned());
                }
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut stdout = child.stdout.take().unwrap();
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        let address = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("contact-proxy did not start: {}", output.lock().unwrap()));
        Running { child, url: format!("http://{address}"), output }
    }

    pub fn terminate(&self) {
        self.signal("-TERM");
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill").args([signal, &self.child.id().to_string()]).status();
        assert!(status.unwrap().success());
    }

    /// Waits until the output holds `needle` `times` times.
    pub fn wait_for_log(&self, needle: &str, times: usize) {
        for _ in 0..250 {
            if self.output.lock().unwrap().matches(needle).count() >= times {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{needle:?} not logged {times} times: {}", self.output.lock().unwrap());
    }

    /// Waits for the exit (SIGTERM first); returns the exit code and all output.
    pub fn stop(mut self) -> (Option<i32>, String) {
        self.terminate();
        let code = wait_with_timeout(&mut self.child, Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(100)); // let the readers drain
        let output = self.output.lock().unwrap().clone();
        (code, output)
    }
}

pub fn wait_with_timeout(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("contact-proxy did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn output_of(command: &mut Command) -> (Option<i32>, String) {
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}
