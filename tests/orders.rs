//! The demo order system served by `hotline serve` under `/demo/`, seeded from the repo's
//! prompts/demo/data: lookups, cancellations and address changes over real HTTP, kept in the
//! database, and bad seed files refused at start with `file:line`.

mod common;

use common::{Route, Server, ServerOptions, http_request};
use serde_json::{Value, json};

/// A server without speech routes (nothing here needs the recogniser).
fn options() -> ServerOptions {
    ServerOptions {
        routes: vec![Route {
            number: "1001".into(),
            flow: "main".into(),
            mode: "dtmf".into(),
            ring_time: "0s".into(),
        }],
        ..ServerOptions::default()
    }
}

fn call(server: &Server, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
    let (status, text) = http_request(server.http, method, path, body)
        .unwrap_or_else(|error| panic!("{method} {path}: {error}; log:\n{}", server.log_text()));
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{method} {path}: {error}: {text:?}"));
    (status, value)
}

fn get(server: &Server, path: &str) -> (u16, Value) {
    call(server, "GET", path, None)
}

fn post(server: &Server, path: &str, body: Option<&str>) -> (u16, Value) {
    call(server, "POST", path, body)
}

#[test]
fn orders_are_looked_up_by_number() {
    let server = Server::start(options());
    let (status, order) = get(&server, "/demo/orders/12345");
    assert_eq!(status, 200, "{order}");
    assert_eq!(
        order,
        json!({
            "number": "12345",
            "status": "shipped",
            "carrier": "UPS",
            "tracking": "1Z999AA10123456784",
            "expected_delivery": "2026-11-27",
            "delivered_on": null,
            "items": ["Summit down jacket (women's M)", "Merino wool beanie"],
            "total": "249.00",
            "address": "42 Alder Street, Portland, OR 97205",
            "refund": null,
            "customer": {"name": "Dana Lee", "phone": "+15550100001", "vip": true}
        })
    );
    let (status, refunded) = get(&server, "/demo/orders/23456");
    assert_eq!(status, 200);
    assert_eq!(
        refunded["refund"],
        json!({"amount": "59.90", "date": "2026-11-10", "status": "issued"})
    );
    let (status, delivered) = get(&server, "/demo/orders/45678");
    assert_eq!(
        (status, &delivered["delivered_on"]),
        (200, &json!("2026-11-18"))
    );
    let (status, seven_digits) = get(&server, "/demo/orders/1234567");
    assert_eq!((status, &seven_digits["carrier"]), (200, &json!("FedEx")));

    let (status, unknown) = get(&server, "/demo/orders/99999");
    assert_eq!(status, 404);
    assert_eq!(unknown, json!({"error": "no order 99999"}));
    for malformed in ["12a45", "1234", "123456789"] {
        let (status, error) = get(&server, &format!("/demo/orders/{malformed}"));
        assert_eq!(status, 400, "{malformed}: {error}");
        assert!(
            error["error"]
                .as_str()
                .is_some_and(|text| text.contains("not an order number")),
            "{error}"
        );
    }
}

#[test]
fn cancelling_and_moving_only_work_before_shipping_and_are_stored() {
    let server = Server::start(options());
    let (status, cancelled) = post(&server, "/demo/orders/34567/cancel", None);
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(get(&server, "/demo/orders/34567").1["status"], "cancelled");
    let (status, again) = post(&server, "/demo/orders/34567/cancel", None);
    assert_eq!(status, 409);
    assert_eq!(again, json!({"error": "order 34567 is already cancelled"}));
    let (status, shipped) = post(&server, "/demo/orders/12345/cancel", None);
    assert_eq!(status, 409);
    assert_eq!(
        shipped,
        json!({"error": "order 12345 has already shipped and can no longer be cancelled"})
    );
    assert_eq!(post(&server, "/demo/orders/99999/cancel", None).0, 404);

    let new_address = r#"{"address": "9 Elm Street, Boston, MA 02108"}"#;
    let (status, moved) = post(&server, "/demo/orders/78901/address", Some(new_address));
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["address"], "9 Elm Street, Boston, MA 02108");
    assert_eq!(moved["status"], "processing");
    let (status, refused) = post(&server, "/demo/orders/12345/address", Some(new_address));
    assert_eq!(status, 409);
    assert_eq!(
        refused,
        json!({"error": "order 12345 has already shipped, so its delivery address can no longer be changed"})
    );
    for bad_body in [
        None,
        Some("{}"),
        Some("not json"),
        Some(r#"{"address": " "}"#),
    ] {
        let (status, error) = post(&server, "/demo/orders/78901/address", bad_body);
        assert_eq!(status, 400, "{bad_body:?}: {error}");
        assert!(error["error"].is_string(), "{error}");
    }

    // The changes are in the database, not only in the server's memory (a restart reseeds it;
    // see the order book's unit tests).
    let mut server = server;
    server.stop(std::time::Duration::from_secs(20));
    let statuses = read_statuses(&server.data.join("hotline.db"));
    assert_eq!(statuses.get("34567").map(String::as_str), Some("cancelled"));
    assert_eq!(statuses.get("12345").map(String::as_str), Some("shipped"));
}

/// Every order's status as stored.
fn read_statuses(database: &std::path::Path) -> std::collections::HashMap<String, String> {
    let connection = rusqlite::Connection::open(database).expect("database opens");
    let mut statement = connection
        .prepare("SELECT number, status FROM orders")
        .expect("orders table");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn customers_are_found_by_phone_however_it_is_written() {
    let server = Server::start(options());
    for phone in [
        "%2B15550100001",
        "+15550100001",
        "15550100001",
        "5550100001",
        "555-010-0001",
    ] {
        let (status, dana) = get(&server, &format!("/demo/customers?phone={phone}"));
        assert_eq!(status, 200, "{phone}: {dana}");
        assert_eq!(
            dana,
            json!({
                "name": "Dana Lee",
                "phone": "+15550100001",
                "vip": true,
                "orders": ["10203", "12345", "22334", "1234567"]
            }),
            "{phone}"
        );
    }
    let (status, marcus) = get(&server, "/demo/customers?phone=%2B15550100002");
    assert_eq!(status, 200);
    assert_eq!(marcus["vip"], false);
    assert_eq!(marcus["name"], "Marcus Bell");
    let (status, unknown) = get(&server, "/demo/customers?phone=%2B15550109999");
    assert_eq!(status, 404);
    assert_eq!(
        unknown,
        json!({"error": "no customer with phone +15550109999"})
    );
    assert_eq!(get(&server, "/demo/customers?phone=alice").0, 400);
    assert_eq!(get(&server, "/demo/customers").0, 400);
}

#[test]
fn without_an_orders_section_there_is_no_order_system() {
    let server = Server::start(ServerOptions {
        orders_seed: None,
        ..options()
    });
    let (status, error) = get(&server, "/demo/orders/12345");
    assert_eq!(status, 404);
    assert_eq!(error, json!({"error": "no such page"}));
}

#[test]
fn a_bad_seed_file_stops_the_server_with_its_line() {
    let seed = common::temp_dir("bad-seed");
    let demo = common::repo_dir().join("prompts/demo/data");
    std::fs::copy(demo.join("customers.toml"), seed.join("customers.toml")).expect("copy");
    std::fs::write(
        seed.join("orders.toml"),
        "[[order]]\nnumber = \"12345\"\ncustomer = \"+15550100001\"\nstatus = \"lost\"\n\
         items = [\"Tent\"]\ntotal = \"10.00\"\naddress = \"1 Main Street\"\n",
    )
    .expect("write");
    let log = match Server::launch(&ServerOptions {
        orders_seed: Some(seed.clone()),
        ..options()
    }) {
        Ok(_) => panic!("hotline started with a bad seed file"),
        Err(log) => log,
    };
    let expected = format!(
        "{}:4: unknown status \"lost\"",
        seed.join("orders.toml").display()
    );
    assert!(log.contains(&expected), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    std::fs::remove_dir_all(&seed).ok();
}
