//! Phone numbers, amounts and order numbers as written, and the change rules.

use super::*;

#[test]
fn phone_numbers_normalise_to_e164() {
    for text in [
        "+15550100001",
        "15550100001",
        "5550100001",
        "(555) 010-0001",
        "555.010.0001",
        " 15550100001",
        "+1 555 010 0001",
    ] {
        assert_eq!(
            Phone::parse(text).map(|phone| phone.to_string()),
            Some("+15550100001".to_string()),
            "{text:?}"
        );
    }
    assert_eq!(
        Phone::parse("+442071838750").map(|phone| phone.to_string()),
        Some("+442071838750".to_string())
    );
    for text in [
        "",
        "alice",
        "+1555x0100001",
        "12345",
        "+1234567890123456",
        "++15550100001",
    ] {
        assert_eq!(Phone::parse(text), None, "{text:?}");
    }
}

#[test]
fn amounts_are_dollars_with_two_decimals() {
    assert_eq!(Amount::parse("59.90").map(Amount::cents), Some(5990));
    assert_eq!(Amount::parse("59").map(Amount::cents), Some(5900));
    assert_eq!(
        Amount::parse("0.05").map(|amount| amount.to_string()),
        Some("0.05".into())
    );
    for text in ["59.9", "59.999", ".90", "59.", "-1", "1e3", "", "12,00"] {
        assert_eq!(Amount::parse(text), None, "{text:?}");
    }
    assert_eq!(
        serde_json::to_value(Amount::from_cents(24900)).expect("serialises"),
        serde_json::json!("249.00")
    );
}

#[test]
fn order_numbers_are_five_to_eight_digits() {
    for text in ["12345", "1234567", "00001234"] {
        assert!(OrderNumber::parse(text).is_some(), "{text:?}");
    }
    for text in ["1234", "123456789", "12a45", "", "+12345", " 12345"] {
        assert!(OrderNumber::parse(text).is_none(), "{text:?}");
    }
}

fn order(status: OrderStatus) -> Order {
    Order {
        number: OrderNumber::parse("34567").expect("valid"),
        status,
        carrier: None,
        tracking: None,
        expected_delivery: None,
        delivered_on: None,
        items: vec!["Tent".to_string()],
        total: Amount::from_cents(100),
        address: "1 Main Street".to_string(),
        refund: None,
        customer: Customer {
            name: "Dana Lee".to_string(),
            phone: Phone::parse("+15550100001").expect("valid"),
            vip: true,
        },
    }
}

#[test]
fn only_processing_orders_cancel_or_move() {
    let mut processing = order(OrderStatus::Processing);
    processing
        .change_address("2 Side Road".to_string())
        .expect("movable");
    assert_eq!(processing.address, "2 Side Road");
    processing.cancel().expect("cancellable");
    assert_eq!(processing.status, OrderStatus::Cancelled);
    assert_eq!(
        processing.cancel(),
        Err("order 34567 is already cancelled".to_string())
    );
    assert_eq!(
        order(OrderStatus::Shipped).cancel(),
        Err("order 34567 has already shipped and can no longer be cancelled".to_string())
    );
    assert_eq!(
        order(OrderStatus::Delivered).change_address("x".to_string()),
        Err(
            "order 34567 has already been delivered, so its delivery address can no longer be changed"
                .to_string()
        )
    );
}

#[test]
fn addresses_are_one_trimmed_line() {
    assert_eq!(
        model::check_address("  9 Elm Street, Boston, MA 02108 "),
        Ok("9 Elm Street, Boston, MA 02108".to_string())
    );
    assert!(model::check_address("   ").is_err());
    assert!(model::check_address("1 Main\nStreet").is_err());
    assert!(model::check_address(&"x".repeat(MAXIMUM_ADDRESS_LENGTH + 1)).is_err());
}
