//! The order book on a real SQLite file: lookups, changes that stick, and reseeding that undoes
//! them.

use super::*;
use std::path::Path;

fn demo_seed() -> Seed {
    Seed::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/demo/data")).expect("seed")
}

fn number(text: &str) -> OrderNumber {
    OrderNumber::parse(text).expect("order number")
}

#[test]
fn changes_persist_until_the_next_seed() {
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("hotline.db");
    let seed = demo_seed();
    {
        let book = OrderBook::open(&path).expect("open");
        book.seed(&seed).expect("seed");
        let cancelled = book.cancel(&number("34567")).expect("cancel");
        assert_eq!(cancelled.status, OrderStatus::Cancelled);
        match book.cancel(&number("34567")) {
            Err(OrdersError::Refused(message)) => {
                assert_eq!(message, "order 34567 is already cancelled")
            }
            other => panic!("{other:?}"),
        }
        let moved = book
            .change_address(&number("78901"), "9 Elm Street, Boston, MA 02108")
            .expect("move");
        assert_eq!(moved.address, "9 Elm Street, Boston, MA 02108");
        assert!(matches!(
            book.change_address(&number("12345"), "9 Elm Street"),
            Err(OrdersError::Refused(_))
        ));
        assert!(matches!(
            book.change_address(&number("78901"), " "),
            Err(OrdersError::BadAddress(_))
        ));
        assert!(matches!(
            book.cancel(&number("99999")),
            Err(OrdersError::UnknownOrder(_))
        ));
    }
    let reopened = OrderBook::open(&path).expect("reopen");
    let order = |text: &str| {
        reopened
            .order(&number(text))
            .expect("query")
            .expect("order")
    };
    assert_eq!(order("34567").status, OrderStatus::Cancelled);
    assert_eq!(order("78901").address, "9 Elm Street, Boston, MA 02108");
    reopened.seed(&seed).expect("reseed");
    assert_eq!(order("34567").status, OrderStatus::Processing);
    assert_eq!(order("78901").address, "2 Willow Way, Burlington, VT 05401");
    for expected in &seed.orders {
        assert_eq!(&order(expected.number.as_str()), expected);
    }
    assert_eq!(reopened.order(&number("99999")).expect("query"), None);
}

#[test]
fn customers_are_found_by_phone_with_their_orders() {
    let directory = tempfile::tempdir().expect("temp dir");
    let book = OrderBook::open(&directory.path().join("hotline.db")).expect("open");
    book.seed(&demo_seed()).expect("seed");
    let dana = book
        .customer(&Phone::parse("5550100001").expect("phone"))
        .expect("query")
        .expect("Dana Lee");
    assert_eq!(dana.customer.name, "Dana Lee");
    assert!(dana.customer.vip);
    let numbers: Vec<&str> = dana.orders.iter().map(OrderNumber::as_str).collect();
    assert_eq!(numbers, ["10203", "12345", "22334", "1234567"]);
    assert_eq!(
        serde_json::to_value(&dana).expect("serialises")["phone"],
        "+15550100001"
    );
    assert_eq!(
        book.customer(&Phone::parse("+15550109999").expect("phone"))
            .expect("query"),
        None
    );
}
