//! Orders and customers as the demo order system keeps them, and the rules for changing an
//! order: only an order that has not shipped may be cancelled or sent elsewhere.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt;

/// Longest delivery address accepted, in characters.
pub const MAXIMUM_ADDRESS_LENGTH: usize = 200;

/// An order number: 5 to 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OrderNumber(String);

impl OrderNumber {
    /// The order number `text` is, if it is 5 to 8 ASCII digits.
    pub fn parse(text: &str) -> Option<OrderNumber> {
        let valid = (5..=8).contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_digit());
        valid.then(|| OrderNumber(text.to_string()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A phone number in E.164 form (`+15550100001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Normalises a phone number as people and SIP caller IDs write it: digits with optional
    /// spaces, dashes, dots and parentheses, and an optional leading `+`. With `+` the digits are
    /// the international number; without it, 10 digits are a North American number (`+1` is
    /// added) and anything else is taken as the international number. 8 to 15 digits.
    pub fn parse(text: &str) -> Option<Phone> {
        let text = text.trim();
        let (international, rest) = match text.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let allowed = |character: char| {
            character.is_ascii_digit() || matches!(character, ' ' | '-' | '.' | '(' | ')')
        };
        if !rest.chars().all(allowed) {
            return None;
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let digits = if !international && digits.len() == 10 {
            format!("1{digits}")
        } else {
            digits
        };
        (8..=15)
            .contains(&digits.len())
            .then(|| Phone(format!("+{digits}")))
    }

    /// The E.164 text, `+` included.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// An amount of money in cents, written and shown as dollars with two decimals (`"59.90"`),
/// below ten million dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount {
    cents: u32,
}

impl Amount {
    /// An amount of `cents`.
    pub fn from_cents(cents: u32) -> Amount {
        Amount { cents }
    }

    /// Reads `"59.90"` or `"59"`: whole dollars (at most 7 digits), optionally with exactly two
    /// decimals.
    pub fn parse(text: &str) -> Option<Amount> {
        let (dollars, cents) = match text.split_once('.') {
            Some((dollars, cents)) if cents.len() == 2 => (dollars, cents),
            Some(_) => return None,
            None => (text, "00"),
        };
        let digits =
            |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
        if !digits(dollars) || !digits(cents) || dollars.len() > 7 {
            return None;
        }
        let dollars: u32 = dollars.parse().ok()?;
        let cents: u32 = cents.parse().ok()?;
        Some(Amount {
            cents: dollars * 100 + cents,
        })
    }

    /// The amount in cents.
    pub fn cents(self) -> u32 {
        self.cents
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Paid, not shipped yet: it may still be cancelled or sent to another address.
    Processing,
    /// On its way with a carrier.
    Shipped,
    /// Arrived.
    Delivered,
    /// Cancelled before it shipped.
    Cancelled,
    /// Returned (or lost) and paid back.
    Refunded,
    /// Sent back by the customer and received; the refund is pending.
    ReturnReceived,
}

impl OrderStatus {
    const ALL: [OrderStatus; 6] = [
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
        OrderStatus::ReturnReceived,
    ];

    /// The status's name in files, the database and JSON.
    pub fn name(self) -> &'static str {
        match self {
            OrderStatus::Processing => "processing",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
            OrderStatus::ReturnReceived => "return_received",
        }
    }

    /// The status called `name`.
    pub fn from_name(name: &str) -> Option<OrderStatus> {
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.name() == name)
    }

    /// Every status name, for error messages.
    pub fn names() -> String {
        OrderStatus::ALL.map(OrderStatus::name).join(", ")
    }

    /// Why an order in this status is past changing, completing "order 12345 ...".
    fn past_changes(self) -> &'static str {
        match self {
            OrderStatus::Processing => "is still processing",
            OrderStatus::Shipped => "has already shipped",
            OrderStatus::Delivered => "has already been delivered",
            OrderStatus::Cancelled => "is cancelled",
            OrderStatus::Refunded => "has been refunded",
            OrderStatus::ReturnReceived => "has been returned",
        }
    }
}

/// Whether a refund has been paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Promised, not paid yet.
    Pending,
    /// Paid on the refund's date.
    Issued,
}

/// Money paid back, or to be paid back, for an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refund {
    /// How much.
    pub amount: Amount,
    /// When it was paid; `None` while pending.
    pub date: Option<NaiveDate>,
    /// Issued when it has a date, else pending.
    pub status: RefundStatus,
}

impl Refund {
    /// A refund of `amount`, issued on `date` or pending without one.
    pub fn new(amount: Amount, date: Option<NaiveDate>) -> Refund {
        let status = match date {
            Some(_) => RefundStatus::Issued,
            None => RefundStatus::Pending,
        };
        Refund {
            amount,
            date,
            status,
        }
    }
}

/// A customer of the demo retailer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    /// Full name, as the caller is greeted.
    pub name: String,
    /// Phone number: the customer's key, matched against caller IDs.
    pub phone: Phone,
    /// VIP customers go first in queues and are greeted by name.
    pub vip: bool,
}

/// One order; serialises to the JSON `GET /demo/orders/{number}` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The order number.
    pub number: OrderNumber,
    /// Where it is.
    pub status: OrderStatus,
    /// The carrier, once shipped.
    pub carrier: Option<String>,
    /// The carrier's tracking number, once shipped.
    pub tracking: Option<String>,
    /// When a shipped order should arrive.
    pub expected_delivery: Option<NaiveDate>,
    /// When it arrived.
    pub delivered_on: Option<NaiveDate>,
    /// Short descriptions of what was ordered.
    pub items: Vec<String>,
    /// What it cost.
    pub total: Amount,
    /// The delivery address, one line.
    pub address: String,
    /// Money paid back or to be paid back.
    pub refund: Option<Refund>,
    /// Who ordered it.
    pub customer: Customer,
}

impl Order {
    /// Cancels the order if it has not shipped yet; otherwise says why it cannot be.
    pub fn cancel(&mut self) -> Result<(), String> {
        match self.status {
            OrderStatus::Processing => {
                self.status = OrderStatus::Cancelled;
                Ok(())
            }
            OrderStatus::Cancelled => Err(format!("order {} is already cancelled", self.number)),
            status => Err(format!(
                "order {} {} and can no longer be cancelled",
                self.number,
                status.past_changes()
            )),
        }
    }

    /// Sends the order to `address` (already checked with [`check_address`]) if it has not
    /// shipped yet; otherwise says why it cannot be.
    pub fn change_address(&mut self, address: String) -> Result<(), String> {
        match self.status {
            OrderStatus::Processing => {
                self.address = address;
                Ok(())
            }
            status => Err(format!(
                "order {} {}, so its delivery address can no longer be changed",
                self.number,
                status.past_changes()
            )),
        }
    }
}

/// A delivery address trimmed, or what is wrong with it: empty, longer than
/// [`MAXIMUM_ADDRESS_LENGTH`] characters, or holding control characters (line breaks included).
pub fn check_address(text: &str) -> Result<String, String> {
    let address = text.trim();
    if address.is_empty() {
        return Err("the address is empty".to_string());
    }
    if address.chars().count() > MAXIMUM_ADDRESS_LENGTH {
        return Err(format!(
            "the address is longer than {MAXIMUM_ADDRESS_LENGTH} characters"
        ));
    }
    if address.chars().any(char::is_control) {
        return Err("the address must be one line without control characters".to_string());
    }
    Ok(address.to_string())
}
