//! The seed files the order system is filled from at every start: `customers.toml` and
//! `orders.toml` in the configured seed directory. Every problem is reported as
//! `file:line: message`.
//!
//! ```toml
//! # customers.toml
//! [[customer]]
//! name = "Dana Lee"
//! phone = "+15550100001"      # E.164, unique
//! vip = true                  # optional, default false
//!
//! # orders.toml
//! [[order]]
//! number = "12345"            # 5 to 8 digits, unique
//! customer = "+15550100001"   # a customer's phone
//! status = "shipped"          # processing, shipped, delivered, cancelled, refunded, return_received
//! items = ["Summit down jacket (women's M)"]
//! total = "249.00"            # dollars, optionally with two decimals
//! address = "42 Alder Street, Portland, OR 97205"
//! carrier = "UPS"             # carrier, tracking, expected_delivery: needed when shipped
//! tracking = "1Z999AA10123456784"
//! expected_delivery = "2026-11-27"
//! delivered_on = "2026-11-18" # needed when delivered
//! refund = { amount = "59.90", date = "2026-11-10" }  # refunded: with a date (issued);
//!                             # return_received: without (pending); cancelled: optional
//! ```

use super::model::check_address;
use super::{Amount, Customer, Order, OrderNumber, OrderStatus, OrdersError, Phone, Refund};
use crate::text::lines::line_of;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The customers file of a seed directory.
pub const CUSTOMERS_FILE: &str = "customers.toml";
/// The orders file of a seed directory.
pub const ORDERS_FILE: &str = "orders.toml";

/// Customers and orders read from a seed directory, checked and ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    /// The customers, in file order.
    pub customers: Vec<Customer>,
    /// The orders, in file order.
    pub orders: Vec<Order>,
}

impl Seed {
    /// Reads and checks the seed files in `directory`.
    pub fn load(directory: &Path) -> Result<Seed, OrdersError> {
        let read = |name: &str| {
            let path = directory.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.clone(), text))
                .map_err(|source| OrdersError::Read { path, source })
        };
        let (customers_path, customers_text) = read(CUSTOMERS_FILE)?;
        let (orders_path, orders_text) = read(ORDERS_FILE)?;
        let customers = parse_customers(&customers_path, &customers_text)?;
        let orders = parse_orders(&orders_path, &orders_text, &customers)?;
        Ok(Seed { customers, orders })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomersFile {
    #[serde(default)]
    customer: Vec<RawCustomer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustomer {
    name: Spanned<String>,
    phone: Spanned<String>,
    #[serde(default)]
    vip: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrdersFile {
    #[serde(default)]
    order: Vec<RawOrder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrder {
    number: Spanned<String>,
    customer: Spanned<String>,
    status: Spanned<String>,
    items: Spanned<Vec<Spanned<String>>>,
    total: Spanned<String>,
    address: Spanned<String>,
    carrier: Option<Spanned<String>>,
    tracking: Option<Spanned<String>>,
    expected_delivery: Option<Spanned<String>>,
    delivered_on: Option<Spanned<String>>,
    refund: Option<Spanned<RawRefund>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRefund {
    amount: Spanned<String>,
    date: Option<Spanned<String>>,
}

/// A seed file being read: its path and text, for `file:line` errors.
struct SeedFile<'a> {
    path: &'a Path,
    text: &'a str,
}

impl SeedFile<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> OrdersError {
        OrdersError::Seed {
            path: self.path.to_path_buf(),
            line: line_of(self.text, span.start),
            message: message.into(),
        }
    }

    fn parse<T: DeserializeOwned>(&self) -> Result<T, OrdersError> {
        toml::from_str(self.text).map_err(|error| OrdersError::Seed {
            path: self.path.to_path_buf(),
            line: error
                .span()
                .map_or(1, |span| line_of(self.text, span.start)),
            message: error.message().to_string(),
        })
    }

    /// The text of a one-line field: trimmed, not empty, without control characters.
    fn line(&self, value: &Spanned<String>, what: &str) -> Result<String, OrdersError> {
        let text = value.get_ref().trim();
        if text.is_empty() || text.chars().any(char::is_control) {
            return Err(self.error(value.span(), format!("{what} must be one non-empty line")));
        }
        Ok(text.to_string())
    }

    fn amount(&self, value: &Spanned<String>, what: &str) -> Result<Amount, OrdersError> {
        Amount::parse(value.get_ref()).ok_or_else(|| {
            self.error(
                value.span(),
                format!(
                    "{what} {:?} is not an amount like \"59.90\" or \"59\"",
                    value.get_ref()
                ),
            )
        })
    }

    fn date(&self, value: &Option<Spanned<String>>) -> Result<Option<NaiveDate>, OrdersError> {
        value
            .as_ref()
            .map(|value| {
                NaiveDate::parse_from_str(value.get_ref(), "%Y-%m-%d").map_err(|_| {
                    self.error(
                        value.span(),
                        format!("{:?} is not a date like \"2026-11-27\"", value.get_ref()),
                    )
                })
            })
            .transpose()
    }
}

/// Reads `customers.toml` text; `path` names the file in errors.
pub fn parse_customers(path: &Path, text: &str) -> Result<Vec<Customer>, OrdersError> {
    let file = SeedFile { path, text };
    let raw: CustomersFile = file.parse()?;
    let mut customers: Vec<Customer> = Vec::new();
    for entry in raw.customer {
        let name = file.line(&entry.name, "name")?;
        let phone = Phone::parse(entry.phone.get_ref())
            .filter(|_| entry.phone.get_ref().trim_start().starts_with('+'))
            .ok_or_else(|| {
                file.error(
                    entry.phone.span(),
                    format!(
                        "phone {:?} is not an E.164 number like \"+15550100001\"",
                        entry.phone.get_ref()
                    ),
                )
            })?;
        if let Some(other) = customers.iter().find(|customer| customer.phone == phone) {
            return Err(file.error(
                entry.phone.span(),
                format!("phone {phone} is already the phone of {}", other.name),
            ));
        }
        customers.push(Customer {
            name,
            phone,
            vip: entry.vip,
        });
    }
    Ok(customers)
}

/// Reads `orders.toml` text, whose orders belong to `customers`; `path` names the file in
/// errors.
pub fn parse_orders(
    path: &Path,
    text: &str,
    customers: &[Customer],
) -> Result<Vec<Order>, OrdersError> {
    let file = SeedFile { path, text };
    let raw: OrdersFile = file.parse()?;
    let customers: HashMap<&Phone, &Customer> = customers
        .iter()
        .map(|customer| (&customer.phone, customer))
        .collect();
    let mut orders: Vec<Order> = Vec::new();
    for entry in &raw.order {
        let order = order(&file, entry, &customers)?;
        if orders.iter().any(|other| other.number == order.number) {
            return Err(file.error(
                entry.number.span(),
                format!("order {} is defined twice", order.number),
            ));
        }
        orders.push(order);
    }
    Ok(orders)
}

fn order(
    file: &SeedFile<'_>,
    raw: &RawOrder,
    customers: &HashMap<&Phone, &Customer>,
) -> Result<Order, OrdersError> {
    let number = OrderNumber::parse(raw.number.get_ref()).ok_or_else(|| {
        file.error(
            raw.number.span(),
            format!(
                "order number {:?} must be 5 to 8 digits",
                raw.number.get_ref()
            ),
        )
    })?;
    let status = OrderStatus::from_name(raw.status.get_ref()).ok_or_else(|| {
        file.error(
            raw.status.span(),
            format!(
                "unknown status {:?} (expected one of: {})",
                raw.status.get_ref(),
                OrderStatus::names()
            ),
        )
    })?;
    let customer = Phone::parse(raw.customer.get_ref())
        .and_then(|phone| customers.get(&phone).copied())
        .ok_or_else(|| {
            file.error(
                raw.customer.span(),
                format!(
                    "customer {:?} is not the phone of a customer in {CUSTOMERS_FILE}",
                    raw.customer.get_ref()
                ),
            )
        })?;
    if raw.items.get_ref().is_empty() {
        return Err(file.error(raw.items.span(), "an order needs at least one item"));
    }
    let items = raw
        .items
        .get_ref()
        .iter()
        .map(|item| file.line(item, "an item"))
        .collect::<Result<Vec<_>, _>>()?;
    let address = check_address(raw.address.get_ref())
        .map_err(|message| file.error(raw.address.span(), message))?;
    let optional_line = |value: &Option<Spanned<String>>, what: &str| {
        value
            .as_ref()
            .map(|value| file.line(value, what))
            .transpose()
    };
    let refund = raw
        .refund
        .as_ref()
        .map(|refund| {
            Ok::<_, OrdersError>(Refund::new(
                file.amount(&refund.get_ref().amount, "refund amount")?,
                file.date(&refund.get_ref().date)?,
            ))
        })
        .transpose()?;
    check_status_fields(file, raw, status)?;
    Ok(Order {
        number,
        status,
        carrier: optional_line(&raw.carrier, "carrier")?,
        tracking: optional_line(&raw.tracking, "tracking")?,
        expected_delivery: file.date(&raw.expected_delivery)?,
        delivered_on: file.date(&raw.delivered_on)?,
        items,
        total: file.amount(&raw.total, "total")?,
        address,
        refund,
        customer: customer.clone(),
    })
}

/// The fields a status needs are there, and a refund only where it makes sense: issued (with
/// a date) for refunded orders, pending (without) for returns, either for cancelled ones.
fn check_status_fields(
    file: &SeedFile<'_>,
    raw: &RawOrder,
    status: OrderStatus,
) -> Result<(), OrdersError> {
    let needed: &[(&str, bool)] = match status {
        OrderStatus::Shipped => &[
            ("carrier", raw.carrier.is_some()),
            ("tracking", raw.tracking.is_some()),
            ("expected_delivery", raw.expected_delivery.is_some()),
        ],
        OrderStatus::Delivered => &[("delivered_on", raw.delivered_on.is_some())],
        OrderStatus::Refunded | OrderStatus::ReturnReceived => &[("refund", raw.refund.is_some())],
        OrderStatus::Processing | OrderStatus::Cancelled => &[],
    };
    let missing: Vec<String> = needed
        .iter()
        .filter(|(_, present)| !present)
        .map(|(key, _)| format!("`{key}`"))
        .collect();
    if !missing.is_empty() {
        return Err(file.error(
            raw.status.span(),
            format!("a {} order needs {}", status.name(), missing.join(", ")),
        ));
    }
    let Some(refund) = &raw.refund else {
        return Ok(());
    };
    match (status, &refund.get_ref().date) {
        (OrderStatus::Refunded, None) => Err(file.error(
            refund.span(),
            "the refund of a refunded order needs its `date`",
        )),
        (OrderStatus::ReturnReceived, Some(date)) => Err(file.error(
            date.span(),
            "the refund of a return_received order is pending and has no `date` yet",
        )),
        (OrderStatus::Processing | OrderStatus::Shipped | OrderStatus::Delivered, _) => {
            Err(file.error(
                refund.span(),
                format!(
                    "a {} order has no refund (only cancelled, refunded and return_received orders do)",
                    status.name()
                ),
            ))
        }
        _ => Ok(()),
    }
}
