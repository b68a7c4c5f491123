//! The demo order system's JSON API under `/demo/`, what the demo flow's lookups call:
//!
//! * `GET /demo/orders/{number}`: the order (404 when unknown, 400 when the number is not 5 to
//!   8 digits);
//! * `POST /demo/orders/{number}/cancel`: cancels a processing order and answers it; 409 when
//!   the order is past cancelling;
//! * `POST /demo/orders/{number}/address` with `{"address": "..."}`: sends a processing order
//!   elsewhere and answers it; 409 when it has shipped, 400 for a bad body or address;
//! * `GET /demo/customers?phone=...`: the customer with that phone number (E.164, or written
//!   with or without `+1`, spaces or dashes) and their order numbers; 404 when unknown.

use crate::http::error::AppError;
use crate::orders::{CustomerOrders, Order, OrderBook, OrderNumber, OrdersError, Phone};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;

/// The demo routes, serving `book`.
pub fn router<S: Clone + Send + Sync + 'static>(book: Arc<OrderBook>) -> Router<S> {
    Router::new()
        .route("/orders/{number}", get(order))
        .route("/orders/{number}/cancel", post(cancel))
        .route("/orders/{number}/address", post(change_address))
        .route("/customers", get(customer))
        .with_state(book)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressChange {
    address: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerQuery {
    phone: String,
}

async fn order(
    State(book): State<Arc<OrderBook>>,
    number: Result<Path<String>, PathRejection>,
) -> Result<Json<Order>, AppError> {
    let number = order_number(number)?;
    let wanted = number.clone();
    let order = blocking(book, move |book| book.order(&wanted)).await?;
    order
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no order {number}")))
}

async fn cancel(
    State(book): State<Arc<OrderBook>>,
    number: Result<Path<String>, PathRejection>,
) -> Result<Json<Order>, AppError> {
    let number = order_number(number)?;
    blocking(book, move |book| book.cancel(&number))
        .await
        .map(Json)
}

async fn change_address(
    State(book): State<Arc<OrderBook>>,
    number: Result<Path<String>, PathRejection>,
    body: Result<Json<AddressChange>, JsonRejection>,
) -> Result<Json<Order>, AppError> {
    let number = order_number(number)?;
    let Json(change) = body?;
    blocking(book, move |book| {
        book.change_address(&number, &change.address)
    })
    .await
    .map(Json)
}

async fn customer(
    State(book): State<Arc<OrderBook>>,
    query: Result<Query<CustomerQuery>, QueryRejection>,
) -> Result<Json<CustomerOrders>, AppError> {
    let Query(query) = query?;
    let phone = Phone::parse(&query.phone)
        .ok_or_else(|| AppError::BadRequest(format!("{:?} is not a phone number", query.phone)))?;
    let wanted = phone.clone();
    let customer = blocking(book, move |book| book.customer(&wanted)).await?;
    customer
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no customer with phone {phone}")))
}

fn order_number(path: Result<Path<String>, PathRejection>) -> Result<OrderNumber, AppError> {
    let Path(text) = path?;
    OrderNumber::parse(&text).ok_or_else(|| {
        AppError::BadRequest(format!("{text:?} is not an order number (5 to 8 digits)"))
    })
}

/// Runs a query of the order book off the async threads (SQLite blocks).
async fn blocking<T: Send + 'static>(
    book: Arc<OrderBook>,
    work: impl FnOnce(&OrderBook) -> Result<T, OrdersError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(move || work(&book))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?
        .map_err(|error| match error {
            OrdersError::UnknownOrder(_) => AppError::NotFound(error.to_string()),
            OrdersError::Refused(message) => AppError::Conflict(message),
            OrdersError::BadAddress(message) => AppError::BadRequest(message),
            error => AppError::Internal(error.to_string()),
        })
}
