//! Seed files: the demo data as the tests and the demo flow rely on it, and bad files reported
//! as `file:line: message`.

use super::*;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

fn demo_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/demo/data")
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

const CUSTOMERS: &str = "[[customer]]\nname = \"Dana Lee\"\nphone = \"+15550100001\"\nvip = true\n";

const ORDER: &str = "[[order]]\nnumber = \"12345\"\ncustomer = \"+15550100001\"\nstatus = \"processing\"\n\
items = [\"Tent\"]\ntotal = \"10.00\"\naddress = \"1 Main Street\"\n";

/// The error text of orders.toml `text` (with CUSTOMERS as the customers).
fn orders_error(text: &str) -> String {
    let customers = parse_customers(Path::new("customers.toml"), CUSTOMERS).expect("customers");
    match parse_orders(Path::new("orders.toml"), text, &customers) {
        Ok(orders) => panic!("accepted: {orders:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn the_demo_data_holds_the_orders_the_demo_relies_on() {
    let seed = Seed::load(&demo_directory()).expect("demo seed");
    assert!(seed.orders.len() >= 20, "{} orders", seed.orders.len());
    let order = |number: &str| {
        seed.orders
            .iter()
            .find(|order| order.number.as_str() == number)
            .unwrap_or_else(|| panic!("order {number}"))
    };
    let shipped = order("12345");
    assert_eq!(shipped.status, OrderStatus::Shipped);
    assert_eq!(shipped.carrier.as_deref(), Some("UPS"));
    assert_eq!(shipped.expected_delivery, date("2026-11-27"));
    let refunded = order("23456");
    assert_eq!(refunded.status, OrderStatus::Refunded);
    assert_eq!(
        refunded.refund,
        Some(Refund::new(Amount::from_cents(5990), date("2026-11-10")))
    );
    assert_eq!(order("34567").status, OrderStatus::Processing);
    assert_eq!(order("45678").delivered_on, date("2026-11-18"));
    assert_eq!(order("1234567").carrier.as_deref(), Some("FedEx"));
    let dana = Phone::parse("+15550100001").expect("phone");
    let customer = |phone: &Phone| {
        seed.customers
            .iter()
            .find(|customer| &customer.phone == phone)
            .expect("customer")
    };
    assert_eq!(customer(&dana).name, "Dana Lee");
    assert!(customer(&dana).vip);
    assert!(!customer(&Phone::parse("+15550100002").expect("phone")).vip);
    assert_eq!(
        seed.customers
            .iter()
            .filter(|customer| customer.vip)
            .count(),
        2
    );
    let statuses: Vec<OrderStatus> = seed.orders.iter().map(|order| order.status).collect();
    for status in [
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
        OrderStatus::ReturnReceived,
    ] {
        assert!(statuses.contains(&status), "no {} order", status.name());
    }
}

#[test]
fn a_good_order_parses() {
    let customers = parse_customers(Path::new("customers.toml"), CUSTOMERS).expect("customers");
    let orders = parse_orders(Path::new("orders.toml"), ORDER, &customers).expect("orders");
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].customer.name, "Dana Lee");
    assert_eq!(orders[0].total, Amount::from_cents(1000));
}

#[test]
fn bad_values_are_reported_at_their_line() {
    let cases = [
        (
            ORDER.replace("\"12345\"", "\"123\""),
            "orders.toml:2: order number \"123\" must be 5 to 8 digits",
        ),
        (
            ORDER.replace("processing", "lost"),
            "orders.toml:4: unknown status \"lost\"",
        ),
        (
            ORDER.replace("customer = \"+15550100001\"", "customer = \"+15550100009\""),
            "orders.toml:3: customer \"+15550100009\" is not the phone of a customer in customers.toml",
        ),
        (
            ORDER.replace("\"10.00\"", "\"10.5\""),
            "orders.toml:6: total \"10.5\" is not an amount",
        ),
        (
            ORDER.replace("[\"Tent\"]", "[]"),
            "orders.toml:5: an order needs at least one item",
        ),
        (
            ORDER.replace("\"1 Main Street\"", "\"  \""),
            "orders.toml:7: the address is empty",
        ),
        (
            ORDER.replace("processing", "shipped") + "carrier = \"UPS\"\n",
            "orders.toml:4: a shipped order needs `tracking`, `expected_delivery`",
        ),
        (
            ORDER.replace("processing", "delivered") + "delivered_on = \"2026-11-31\"\n",
            "orders.toml:8: \"2026-11-31\" is not a date",
        ),
        (
            ORDER.replace("processing", "refunded") + "refund = { amount = \"10.00\" }\n",
            "orders.toml:8: the refund of a refunded order needs its `date`",
        ),
        (
            ORDER.replace("processing", "return_received")
                + "refund = { amount = \"10.00\",\n date = \"2026-11-01\" }\n",
            "orders.toml:9: the refund of a return_received order is pending",
        ),
        (
            ORDER.to_string() + "refund = { amount = \"10.00\" }\n",
            "orders.toml:8: a processing order has no refund",
        ),
        (
            ORDER.to_string() + "colour = \"red\"\n",
            "orders.toml:8: unknown field `colour`",
        ),
        (
            format!("{ORDER}\n{ORDER}"),
            "orders.toml:10: order 12345 is defined twice",
        ),
        (
            ORDER.replace("total = \"10.00\"\n", ""),
            "orders.toml:1: missing field `total`",
        ),
        ("[[order]\n".to_string(), "orders.toml:1: "),
    ];
    for (text, expected) in cases {
        let error = orders_error(&text);
        assert!(
            error.starts_with(expected),
            "{error:?} does not start with {expected:?}"
        );
    }
}

#[test]
fn bad_customers_are_reported_at_their_line() {
    let cases = [
        (
            CUSTOMERS.replace("+15550100001", "5550100001"),
            "customers.toml:3: phone \"5550100001\" is not an E.164 number",
        ),
        (
            format!("{CUSTOMERS}\n{CUSTOMERS}"),
            "customers.toml:8: phone +15550100001 is already the phone of Dana Lee",
        ),
        (
            CUSTOMERS.replace("\"Dana Lee\"", "\"\""),
            "customers.toml:2: name must be one non-empty line",
        ),
        (
            CUSTOMERS.replace("vip = true", "vip = \"yes\""),
            "customers.toml:4: ",
        ),
    ];
    for (text, expected) in cases {
        let error = match parse_customers(Path::new("customers.toml"), &text) {
            Ok(customers) => panic!("accepted: {customers:?}"),
            Err(error) => error.to_string(),
        };
        assert!(
            error.starts_with(expected),
            "{error:?} does not start with {expected:?}"
        );
    }
}

#[test]
fn a_missing_seed_file_names_the_file() {
    let directory = tempfile::tempdir().expect("temp dir");
    std::fs::write(directory.path().join(CUSTOMERS_FILE), CUSTOMERS).expect("write");
    let error = Seed::load(directory.path())
        .expect_err("no orders file")
        .to_string();
    assert!(error.contains("orders.toml: cannot read"), "{error}");
}
