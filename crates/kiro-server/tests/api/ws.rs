//! A WebSocket client for the event stream tests: connect with a token, send JSON, read the
//! next JSON message (answering pings), each read bounded by a deadline.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for one message before failing.
const DEADLINE: Duration = Duration::from_secs(10);

pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Connects to `base_url`'s event stream with a bearer token.
pub async fn connect(base_url: &str, token: &str) -> Ws {
    let url = format!("{}/v1/events", base_url.replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (stream, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    Ws { stream }
}

impl Ws {
    pub async fn send(&mut self, message: Value) {
        self.stream
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.stream.send(message).await.expect("send");
    }

    /// The next JSON message.
    pub async fn next(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(DEADLINE, self.stream.next())
                .await
                .expect("a message within the deadline")
                .expect("the stream is open")
                .expect("a frame");
            match frame {
                Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON"),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected frame {other:?}"),
            }
        }
    }

    /// Subscribes and returns the `subscribed` message.
    pub async fn subscribe(&mut self, message: Value) -> Value {
        self.send(message).await;
        let reply = self.next().await;
        assert_eq!(reply["type"], "subscribed", "{reply}");
        reply
    }

    /// The next event message's event.
    pub async fn next_event(&mut self) -> Value {
        let message = self.next().await;
        assert_eq!(message["type"], "event", "{message}");
        message["event"].clone()
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
