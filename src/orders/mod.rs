//! The demo order system of Acme Outfitters (the demo retailer, `prompts/demo/`): customers and
//! orders seeded from files at every start into the server's database, looked up and changed
//! over HTTP under `/demo/` by the demo flow's lookup steps, just as a real shop's backend
//! would be.
//!
//! * `model`: orders, customers, phone numbers and amounts, and the rules for changing an order
//!   (pure);
//! * `seed`: reading and checking the seed files (`customers.toml`, `orders.toml`);
//! * `book`: the SQLite tables behind the [`OrderBook`].

mod book;
mod error;
mod model;
mod seed;

#[cfg(test)]
mod book_tests;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod seed_tests;

pub use book::{CustomerOrders, OrderBook};
pub use error::OrdersError;
pub use model::{
    Amount, Customer, MAXIMUM_ADDRESS_LENGTH, Order, OrderNumber, OrderStatus, Phone, Refund,
    RefundStatus,
};
pub use seed::{CUSTOMERS_FILE, ORDERS_FILE, Seed, parse_customers, parse_orders};
