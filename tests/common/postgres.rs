//! Throwaway PostgreSQL clusters for the audit trail's tests, through
//! `scripts/postgres` (Debian's server, a temporary directory, a loopback
//! port, the non-root `postgres` user): started by the test that needs one,
//! stopped and removed when it is dropped.

use std::path::PathBuf;
use std::process::Command;

/// A running cluster.
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    /// The URL of its `postgres` database.
    pub url: String,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/postgres")
}

impl Cluster {
    /// initdb and start a cluster on a free port. Panics with what to do when
    /// PostgreSQL is not installed.
    pub fn start() -> Cluster {
        let dir = std::env::temp_dir().join(format!(
            "setter-audit-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
        ));
        let output = Command::new(script()).arg("start").arg(&dir).output().unwrap();
        assert!(
            output.status.success(),
            "PostgreSQL did not start (scripts/setup installs it): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let url = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let port = url.rsplit(':').next().unwrap().split('/').next().unwrap().parse().unwrap();
        Cluster { dir, port, url }
    }

    /// A fresh database of its own in this cluster, for one test.
    pub async fn database(&self, name: &str) -> String {
        use sqlx::Executor;
        let pool = sqlx::PgPool::connect(&self.url).await.unwrap();
        pool.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        pool.close().await;
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server; the data stays, for [`Cluster::restart`].
    pub fn stop(&self) {
        let status = Command::new(script()).arg("stop").arg(&self.dir).status().unwrap();
        assert!(status.success(), "PostgreSQL did not stop");
    }

    /// Starts the stopped server again, on the same port.
    pub fn restart(&self) {
        let status = Command::new(script())
            .arg("start")
            .arg(&self.dir)
            .arg(self.port.to_string())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "PostgreSQL did not start again");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
