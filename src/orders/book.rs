//! The order book: the demo orders and customers in SQLite tables (`customers`, `orders`) of
//! the server's database, on a connection of its own. Seeding replaces both tables with the
//! seed files' rows, so every start begins from the files; changes made in between (a
//! cancellation, a new address) are kept in the database until then.

use super::model::check_address;
use super::{Amount, Customer, Order, OrderNumber, OrderStatus, OrdersError, Phone, Refund, Seed};
use crate::storage::open_database;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// The demo order system's store.
pub struct OrderBook {
    connection: Mutex<Connection>,
}

/// A customer and the numbers of their orders; serialises to the JSON
/// `GET /demo/customers?phone=...` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerOrders {
    /// The customer.
    #[serde(flatten)]
    pub customer: Customer,
    /// Their order numbers, in number order.
    pub orders: Vec<OrderNumber>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS customers (
    phone TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    vip INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    number TEXT PRIMARY KEY,
    customer TEXT NOT NULL REFERENCES customers(phone),
    status TEXT NOT NULL,
    items TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    address TEXT NOT NULL,
    carrier TEXT,
    tracking TEXT,
    expected_delivery TEXT,
    delivered_on TEXT,
    refund_cents INTEGER,
    refund_date TEXT
);
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders(customer);
";

const ORDER_COLUMNS: &str = "orders.number, orders.status, orders.items, orders.total_cents, \
     orders.address, orders.carrier, orders.tracking, orders.expected_delivery, \
     orders.delivered_on, orders.refund_cents, orders.refund_date, customers.name, \
     customers.phone, customers.vip";

impl OrderBook {
    /// Opens (creating if needed) the order tables in the database at `path`.
    pub fn open(path: &Path) -> Result<OrderBook, OrdersError> {
        let open_error = |source| OrdersError::Open {
            path: path.to_path_buf(),
            source,
        };
        let connection = open_database(path).map_err(open_error)?;
        connection.execute_batch(SCHEMA).map_err(open_error)?;
        Ok(OrderBook {
            connection: Mutex::new(connection),
        })
    }

    /// Replaces every customer and order with the seed's, in one transaction. The tables are
    /// made anew, so a database from an older version takes the current layout.
    pub fn seed(&self, seed: &Seed) -> Result<(), OrdersError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction
            .execute_batch("DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers;")?;
        transaction.execute_batch(SCHEMA)?;
        for customer in &seed.customers {
            transaction.execute(
                "INSERT INTO customers (phone, name, vip) VALUES (?1, ?2, ?3)",
                params![customer.phone.as_str(), customer.name, customer.vip],
            )?;
        }
        for order in &seed.orders {
            insert(&transaction, order)?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// The order with this number.
    pub fn order(&self, number: &OrderNumber) -> Result<Option<Order>, OrdersError> {
        find(&self.connection(), number)
    }

    /// Cancels an order that has not shipped; [`OrdersError::Refused`] says why another cannot
    /// be.
    pub fn cancel(&self, number: &OrderNumber) -> Result<Order, OrdersError> {
        self.change(number, Order::cancel)
    }

    /// Sends an order that has not shipped to another address; [`OrdersError::Refused`] says
    /// why another cannot be, [`OrdersError::BadAddress`] what is wrong with the address.
    pub fn change_address(
        &self,
        number: &OrderNumber,
        address: &str,
    ) -> Result<Order, OrdersError> {
        let address = check_address(address).map_err(OrdersError::BadAddress)?;
        self.change(number, |order| order.change_address(address))
    }

    /// The customer with this phone number, with their orders.
    pub fn customer(&self, phone: &Phone) -> Result<Option<CustomerOrders>, OrdersError> {
        let connection = self.connection();
        let customer = connection
            .query_row(
                "SELECT name, vip FROM customers WHERE phone = ?1",
                params![phone.as_str()],
                |row| {
                    Ok(Customer {
                        name: row.get(0)?,
                        phone: phone.clone(),
                        vip: row.get(1)?,
                    })
                },
            )
            .optional()?;
        let Some(customer) = customer else {
            return Ok(None);
        };
        let mut statement = connection.prepare(
            "SELECT number FROM orders WHERE customer = ?1 ORDER BY length(number), number",
        )?;
        let mut orders = Vec::new();
        for number in statement.query_map(params![phone.as_str()], |row| row.get::<_, String>(0))? {
            let number = number?;
            orders.push(
                OrderNumber::parse(&number).ok_or_else(|| OrdersError::Corrupt {
                    number: number.clone(),
                    message: "bad order number".to_string(),
                })?,
            );
        }
        Ok(Some(CustomerOrders { customer, orders }))
    }

    /// Reads an order, applies `rule` and stores the result, in one transaction.
    fn change(
        &self,
        number: &OrderNumber,
        rule: impl FnOnce(&mut Order) -> Result<(), String>,
    ) -> Result<Order, OrdersError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let mut order =
            find(&transaction, number)?.ok_or_else(|| OrdersError::UnknownOrder(number.clone()))?;
        rule(&mut order).map_err(OrdersError::Refused)?;
        transaction.execute(
            "UPDATE orders SET status = ?2, address = ?3 WHERE number = ?1",
            params![order.number.as_str(), order.status.name(), order.address],
        )?;
        transaction.commit()?;
        Ok(order)
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent; keep serving.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn insert(transaction: &Transaction<'_>, order: &Order) -> Result<(), OrdersError> {
    let items = serde_json::to_string(&order.items).map_err(|error| OrdersError::Corrupt {
        number: order.number.to_string(),
        message: format!("items do not encode: {error}"),
    })?;
    let date = |date: Option<NaiveDate>| date.map(|date| date.to_string());
    transaction.execute(
        "INSERT INTO orders (number, customer, status, items, total_cents, address, carrier, \
         tracking, expected_delivery, delivered_on, refund_cents, refund_date) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            order.number.as_str(),
            order.customer.phone.as_str(),
            order.status.name(),
            items,
            order.total.cents(),
            order.address,
            order.carrier,
            order.tracking,
            date(order.expected_delivery),
            date(order.delivered_on),
            order.refund.as_ref().map(|refund| refund.amount.cents()),
            order.refund.as_ref().and_then(|refund| date(refund.date)),
        ],
    )?;
    Ok(())
}

fn find(connection: &Connection, number: &OrderNumber) -> Result<Option<Order>, OrdersError> {
    connection
        .query_row(
            &format!(
                "SELECT {ORDER_COLUMNS} FROM orders JOIN customers ON customers.phone = \
                 orders.customer WHERE orders.number = ?1"
            ),
            params![number.as_str()],
            |row| Ok(decode(number, row)),
        )
        .optional()?
        .transpose()
}

fn decode(number: &OrderNumber, row: &Row<'_>) -> Result<Order, OrdersError> {
    let corrupt = |message: String| OrdersError::Corrupt {
        number: number.to_string(),
        message,
    };
    let date = |index: usize| -> Result<Option<NaiveDate>, OrdersError> {
        row.get::<_, Option<String>>(index)?
            .map(|text| {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map_err(|_| corrupt(format!("bad date {text:?}")))
            })
            .transpose()
    };
    let status: String = row.get(1)?;
    let items: String = row.get(2)?;
    let phone: String = row.get(12)?;
    let refund = row
        .get::<_, Option<u32>>(9)?
        .map(|cents| Ok::<_, OrdersError>(Refund::new(Amount::from_cents(cents), date(10)?)))
        .transpose()?;
    Ok(Order {
        number: number.clone(),
        status: OrderStatus::from_name(&status)
            .ok_or_else(|| corrupt(format!("unknown status {status:?}")))?,
        carrier: row.get(5)?,
        tracking: row.get(6)?,
        expected_delivery: date(7)?,
        delivered_on: date(8)?,
        items: serde_json::from_str(&items)
            .map_err(|error| corrupt(format!("bad items: {error}")))?,
        total: Amount::from_cents(row.get(3)?),
        address: row.get(4)?,
        refund,
        customer: Customer {
            name: row.get(11)?,
            phone: Phone::parse(&phone).ok_or_else(|| corrupt(format!("bad phone {phone:?}")))?,
            vip: row.get(13)?,
        },
    })
}
