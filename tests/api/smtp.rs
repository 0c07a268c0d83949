//! A mail server on loopback for the tests: speaks enough SMTP for lettre,
//! keeps every message it accepts, and can refuse the first delivery to
//! exercise retries.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Clone, Default)]
pub struct Sink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<Mail>>>,
    refusals: Arc<Mutex<u32>>,
}

#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The decoded text of the part with this content type.
    pub fn part(&self, content_type: &str) -> Option<String> {
        let at = self.data.find(&format!("Content-Type: {content_type}"))?;
        let rest = &self.data[at..];
        let (headers, body) = rest.split_once("\r\n\r\n")?;
        // Up to the next boundary line ("--" and the boundary; a "-- "
        // line, "--=20" in quoted-printable, is a signature's delimiter).
        let end = body
            .match_indices("\r\n--")
            .map(|(i, _)| i)
            .find(|i| !body[i + 4..].starts_with([' ', '=']))
            .unwrap_or(body.len());
        let body = &body[..end];
        if headers.contains("Content-Transfer-Encoding: base64") {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()?;
            String::from_utf8(bytes).ok()
        } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
            Some(quoted_printable(body))
        } else {
            Some(body.to_owned())
        }
    }

    pub fn header(&self, name: &str) -> String {
        self.data
            .split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_default()
            .to_owned()
    }
}

fn quoted_printable(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Sink {
    /// Starts the server; the first `refuse` messages get a 451.
    pub async fn start(refuse: u32) -> Sink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = Sink {
            port: listener.local_addr().unwrap().port(),
            messages: Arc::default(),
            refusals: Arc::new(Mutex::new(refuse)),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let s = s.clone();
                tokio::spawn(async move { s.serve(socket).await });
            }
        });
        sink
    }

    async fn serve(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        let _ = write.write_all(b"220 sink ESMTP\r\n").await;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") {
                b"250-sink\r\n250 8BITMIME\r\n"
            } else if command.starts_with("HELO")
                || command.starts_with("MAIL")
                || command.starts_with("NOOP")
            {
                b"250 ok\r\n"
            } else if command.starts_with("RSET") {
                to.clear();
                b"250 ok\r\n"
            } else if command.starts_with("RCPT") {
                let addr = line.trim_end()[8..]
                    .trim()
                    .trim_start_matches(':')
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_owned();
                to.push(addr);
                b"250 ok\r\n"
            } else if command == "DATA" {
                let _ = write.write_all(b"354 go on\r\n").await;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(
                        line.strip_prefix('.')
                            .filter(|_| line.starts_with(".."))
                            .unwrap_or(&line),
                    );
                }
                let refuse = {
                    let mut r = self.refusals.lock().unwrap();
                    if *r > 0 {
                        *r -= 1;
                        true
                    } else {
                        false
                    }
                };
                if refuse {
                    b"451 try again later\r\n"
                } else {
                    self.messages.lock().unwrap().push(Mail {
                        to: std::mem::take(&mut to),
                        data,
                    });
                    b"250 queued\r\n"
                }
            } else if command.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                b"502 not implemented\r\n"
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }

    /// Waits (up to 15 s) until `n` messages arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        for _ in 0..150 {
            {
                let m = self.messages.lock().unwrap();
                if m.len() >= n {
                    return m.clone();
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "only {} of {n} messages arrived",
            self.messages.lock().unwrap().len()
        );
    }
}
