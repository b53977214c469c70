//! nginx in front of server instances, for `bench ingest`'s scale-out rows: round robin over
//! local upstreams, run in the foreground from a config in a scratch directory, killed when
//! dropped. (The e2e scale-out phase writes its own per test, in `e2e/support/server.ts`.)

use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::Context;

pub struct Nginx(Child);

impl Nginx {
    pub fn start(dir: &Path, listen_port: u16, upstreams: &[u16]) -> anyhow::Result<Nginx> {
        let binary = crate::tools::ensure_nginx()?;
        std::fs::create_dir_all(dir)?;
        let servers: String = upstreams
            .iter()
            .map(|port| format!("    server 127.0.0.1:{port};\n"))
            .collect();
        let user = if crate::postgres::is_root() {
            "user root;\n"
        } else {
            ""
        };
        let dir = dir.display();
        let config = format!(
            "{user}worker_processes 1;\ndaemon off;\npid {dir}/nginx.pid;\n\
             error_log {dir}/error.log warn;\nevents {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {dir}/body;\n\
             proxy_temp_path {dir}/proxy;\n  fastcgi_temp_path {dir}/fastcgi;\n\
             uwsgi_temp_path {dir}/uwsgi;\n  scgi_temp_path {dir}/scgi;\n\
             client_max_body_size 4m;\n  upstream tokhai {{\n{servers}    keepalive 64;\n  }}\n\
             server {{\n    listen 127.0.0.1:{listen_port};\n    location / {{\n\
             proxy_pass http://tokhai;\n      proxy_http_version 1.1;\n\
             proxy_set_header Connection \"\";\n      proxy_set_header Host $http_host;\n\
             proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }}\n  }}\n}}\n"
        );
        let path = format!("{dir}/nginx.conf");
        std::fs::write(&path, config)?;
        let child = Command::new(binary)
            .args([
                "-p",
                &dir.to_string(),
                "-c",
                &path,
                "-e",
                &format!("{dir}/error.log"),
            ])
            .stdout(Stdio::null())
            .spawn()
            .context("starting nginx")?;
        Ok(Nginx(child))
    }
}

impl Drop for Nginx {
    /// SIGTERM, not SIGKILL: a killed master leaves its worker holding the port.
    fn drop(&mut self) {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        if !stopped {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}
