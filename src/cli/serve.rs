//! `hotline serve`: the composition root that wires config, flows, storage, calls, SIP and HTTP
//! together, and the graceful shutdown on SIGTERM.

use super::serve_speech::start_speech;
use crate::acd::{AcdSettings, AgentProfile};
use crate::agents::AgentService;
use crate::call::{CallManager, CallServices, PromptCache, RecordWriter};
use crate::chat::{ChatService, ChatServices};
use crate::config::{AcdConfig, AgentConfig, Config, OrdersConfig};
use crate::dialogue::{PublishedFlows, load_flows};
use crate::flows::{FlowPublisher, PublisherSetup};
use crate::http::{self, AppState};
use crate::ids::AgentId;
use crate::lookup::LookupClient;
use crate::models::{Kind, Registry};
use crate::operations::{AlertRules, CallBoard, Dashboard, DashboardSetup};
use crate::orders::{OrderBook, Seed};
use crate::recording::DiskCounters;
use crate::sip::registrar::RegistrarSettings;
use crate::sip::{Signaling, SipServer, SipSettings};
use crate::speech_services::SpeechServices;
use crate::storage::{AuditLog, CallStore, FlowVersionStore, SqliteStore, UserStore};
use crate::telemetry::{self, Metrics};
use crate::understanding::understanding_files;
use crate::webrtc::{BrowserPhones, Gateway};
use anyhow::Context;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

/// Flags of `hotline serve`; each overrides the config file.
#[derive(Debug, clap::Args)]
pub struct ServeArguments {
    /// Config file.
    #[arg(long, default_value = super::DEFAULT_CONFIG)]
    config: PathBuf,
    /// SIP listen address (UDP and TCP).
    #[arg(long)]
    sip: Option<SocketAddr>,
    /// HTTP listen address.
    #[arg(long)]
    http: Option<SocketAddr>,
    /// Data directory (database, recordings).
    #[arg(long, default_value = super::DEFAULT_DATA)]
    data: PathBuf,
}

pub fn run(arguments: ServeArguments) -> anyhow::Result<ExitCode> {
    telemetry::init_logging();
    let mut config = Config::load(&arguments.config)?;
    let registry = model_registry(&config)
        .with_context(|| format!("{}: [speech]", arguments.config.display()))?;
    if let Some(sip) = arguments.sip {
        config.sip.listen = sip;
    }
    if let Some(address) = arguments.http {
        config.http.listen = address;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("hotline")
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(config, registry, arguments.data))
}

/// The model registry of the configured models directory, when it can be read. A recognition
/// model or voice the registry lacks is a config mistake and stops the server; a missing
/// registry, like unprovisioned models, only turns speech off (see the loaders below).
fn model_registry(config: &Config) -> anyhow::Result<Option<Registry>> {
    let registry = match Registry::in_directory(&config.speech.models_directory) {
        Ok(registry) => registry,
        Err(error) => {
            warn!(%error, "speech recognition and synthesis are off");
            return Ok(None);
        }
    };
    registry
        .find(Kind::Asr, &config.speech.recognition_model)
        .context("recognition_model")?;
    registry
        .find(Kind::Tts, &config.speech.voice.name)
        .context("voice.name")?;
    for (language, models) in &config.speech.languages {
        registry
            .find(Kind::Asr, &models.recognition_model)
            .with_context(|| format!("[speech.languages.{language}] recognition_model"))?;
        registry
            .find(Kind::Tts, &models.voice.name)
            .with_context(|| format!("[speech.languages.{language}] voice.name"))?;
    }
    Ok(Some(registry))
}

async fn serve(
    config: Config,
    registry: Option<Registry>,
    data: PathBuf,
) -> anyhow::Result<ExitCode> {
    let flows = match load_flows(&config.flows.directory) {
        Ok(flows) => flows,
        Err(problems) => {
            for problem in problems.iter().filter(|problem| problem.is_error()) {
                eprintln!("{problem}");
            }
            anyhow::bail!(
                "flows under {} have errors",
                config.flows.directory.display()
            );
        }
    };
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot create data directory {}", data.display()))?;
    // Recording paths in call records are absolute, whatever the working directory.
    let data = data
        .canonicalize()
        .with_context(|| format!("cannot resolve data directory {}", data.display()))?;
    let database = data.join("hotline.db");
    let store: Arc<dyn CallStore> = Arc::new(SqliteStore::open(&database)?);
    let orders = match &config.orders {
        Some(settings) => Some(Arc::new(open_orders(settings, &database)?)),
        None => None,
    };
    let prompts = PromptCache::new();
    let mut prompt_paths = flows.prompt_paths();
    prompt_paths.extend(config.acd.hold_music.clone());
    let preload_cache = prompts.clone();
    let failures =
        tokio::task::spawn_blocking(move || preload_cache.preload(&prompt_paths)).await?;
    for (path, error) in &failures {
        warn!(path = %path.display(), %error, "prompt cannot be played");
    }
    info!(
        prompts = prompts.len(),
        flows = flows.flows.len(),
        "flows loaded"
    );
    let understanding_files = understanding_files(&flows)?;
    let speech = match &registry {
        Some(registry) => start_speech(&config, registry, &flows, understanding_files).await,
        None => SpeechServices::default(),
    };
    let listener = tokio::net::TcpListener::bind(config.http.listen)
        .await
        .with_context(|| format!("cannot listen for HTTP on {}", config.http.listen))?;
    let http_address = listener.local_addr()?;
    let http_origin = http_origin(http_address);
    let lookups = LookupClient::new()?;
    let tls = tls_settings(&config.http).await?;
    let metrics = Metrics::new();
    let users = Arc::new(UserStore::open(&database)?);
    let audit = Arc::new(AuditLog::open(&database)?);
    let counters = DiskCounters {
        bytes: metrics.recording_bytes.clone(),
        syncs: metrics.recording_syncs.clone(),
    };
    let recordings = Arc::new(super::recordings::open_service(
        &config, &data, &database, counters,
    )?);
    let recovering = (recordings.clone(), store.clone());
    let recovered =
        tokio::task::spawn_blocking(move || recovering.0.recover(&recovering.1)).await??;
    if recovered > 0 {
        info!(recovered, "recordings left unsealed by a crash were sealed");
    }
    let config = Arc::new(config);
    let flows = PublishedFlows::new(flows);
    let publisher = FlowPublisher::new(PublisherSetup {
        directory: std::path::absolute(&config.flows.directory)?,
        versions: Arc::new(FlowVersionStore::open(&database)?),
        published: flows.clone(),
        speech: speech.clone(),
        prompts: prompts.clone(),
    });
    let recording_files = publisher.clone();
    let recorded = tokio::task::spawn_blocking(move || recording_files.record_files()).await??;
    if recorded > 0 {
        info!(recorded, "flow files recorded as published versions");
    }
    let records = Arc::new(
        RecordWriter::start(store.clone(), recordings.redactor().clone())
            .context("cannot start the call record writer")?,
    );
    let board = CallBoard::new(config.dashboard.service_level_target);
    let chat = ChatService::new(ChatServices {
        flows: flows.clone(),
        default_flow: config.flows.chat.clone(),
        speech: speech.clone(),
        lookups: lookups.clone(),
        http_origin: http_origin.clone(),
        records: records.clone(),
        board: board.clone(),
    });
    let signaling = Signaling::new();
    let phones = BrowserPhones::new();
    let agents = AgentService::start(
        distributor_settings(&config.acd),
        config.agents.iter().map(profile).collect(),
    );
    let manager = CallManager::new(CallServices {
        config: config.clone(),
        flows: flows.clone(),
        prompts,
        metrics: metrics.clone(),
        records: records.clone(),
        recordings: recordings.clone(),
        speech: speech.clone(),
        lookups: lookups.clone(),
        http_origin: http_origin.clone(),
        agents: agents.clone(),
        dialer: signaling.dialer(),
        phones: phones.clone(),
        board: board.clone(),
    });
    let sip = SipServer::bind(
        SipSettings {
            sip: config.sip.clone(),
            codecs: config.media.codecs.clone(),
            registrar: registrar_settings(&config.acd),
            credentials: config
                .agents
                .iter()
                .map(|agent| (agent.name.clone(), agent.password_ha1.clone()))
                .collect(),
        },
        signaling,
        Arc::new(manager.clone()),
        Arc::new(agents.clone()),
    )
    .await?;
    let sip_address = sip.local_address();
    info!("SIP listening on {sip_address} (UDP and TCP)");
    if let Some(websocket) = config.sip.websocket {
        info!("SIP over WebSocket listening on ws://{websocket}");
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    info!("HTTP listening on {scheme}://{http_address}");
    let webrtc = match Gateway::new(&config, http_address.ip(), Arc::new(manager.clone())) {
        Ok(gateway) => {
            if let Some(number) = config.browser_number() {
                info!(
                    "browser calls: {scheme}://{http_address}/call reaches number {number}, media on {}",
                    gateway.address()
                );
            }
            Some(gateway)
        }
        Err(error) => {
            warn!(%error, "browser calls and browser phones are unavailable");
            None
        }
    };
    for route in &config.routes {
        info!(
            "call sip:{}@{sip_address} for flow {} ({})",
            route.number,
            route.flow,
            route.mode.name()
        );
        check_translations(route, &flows);
    }
    let stop_sip = CancellationToken::new();
    let sip_task = tokio::spawn(sip.run(stop_sip.clone()));
    let stop_sweeper = CancellationToken::new();
    let sweeper = tokio::spawn(super::recordings::sweep_recordings(
        recordings.clone(),
        audit.clone(),
        store.clone(),
        config.recording.sweep_every,
        stop_sweeper.clone(),
    ));
    let stop_http = CancellationToken::new();
    let http_stopped = stop_http.clone();
    let dashboard = Dashboard::start(DashboardSetup {
        board,
        agents: agents.clone(),
        calls: store.clone(),
        metrics: metrics.clone(),
        rules: AlertRules {
            longest_wait: config.dashboard.longest_wait_alert,
            no_matches: config.dashboard.no_match_alert,
            no_match_window: config.dashboard.no_match_window,
        },
    });
    let app = http::router(AppState {
        metrics,
        calls: store,
        orders,
        chat,
        agents,
        config: config.clone(),
        desk_sessions: http::DeskSessions::default(),
        users,
        audit,
        recordings,
        secure_cookies: tls.is_some(),
        webrtc,
        phones,
        publisher,
        speech,
        dashboard,
    });
    let http_task = tokio::spawn(serve_http(listener, app, tls, http_stopped));
    wait_for_signal().await?;
    info!("shutting down");
    manager.shutdown(config.shutdown.drain_timeout).await;
    // Give the last BYEs a moment to be answered before the SIP stack goes away.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    stop_sip.cancel();
    stop_http.cancel();
    stop_sweeper.cancel();
    let _ = sweeper.await;
    let _ = sip_task.await;
    if let Ok(Err(error)) = http_task.await {
        warn!(%error, "HTTP server stopped with an error");
    }
    info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The TLS settings of `[http]`, when a certificate is configured. Read after the rustls crypto
/// provider is installed (by the lookup client).
async fn tls_settings(
    http: &crate::config::HttpConfig,
) -> anyhow::Result<Option<axum_server::tls_rustls::RustlsConfig>> {
    let (Some(certificate), Some(key)) = (&http.tls_certificate, &http.tls_key) else {
        return Ok(None);
    };
    let settings = axum_server::tls_rustls::RustlsConfig::from_pem_file(certificate, key)
        .await
        .with_context(|| {
            format!(
                "cannot use the TLS certificate {} with the key {}",
                certificate.display(),
                key.display()
            )
        })?;
    Ok(Some(settings))
}

/// Serves the router on `listener` (over TLS when configured) until `stop`.
async fn serve_http(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    let Some(tls) = tls else {
        return axum::serve(listener, service)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
    };
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        stop.cancelled().await;
        stopping.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    axum_server::from_tcp_rustls(listener.into_std()?, tls)?
        .handle(handle)
        .serve(service)
        .await
}

/// The distributor's timing from `[acd]`.
fn distributor_settings(acd: &AcdConfig) -> AcdSettings {
    AcdSettings {
        wrap_up: acd.wrap_up,
        announce_every: acd.announce_every,
        overflow: acd
            .groups
            .iter()
            .filter_map(|group| {
                let after = group.overflow_after?;
                let to = group.overflow_to.clone()?;
                Some((group.name.clone(), (after, to)))
            })
            .collect(),
        assumed_handle_time: acd.assumed_handle_time,
    }
}

/// The registrar's realm and limits from `[acd]`.
fn registrar_settings(acd: &AcdConfig) -> RegistrarSettings {
    RegistrarSettings {
        realm: acd.realm.clone(),
        minimum_expiry: acd.minimum_expiry,
        maximum_expiry: acd.maximum_expiry,
        failed_logins: acd.failed_logins,
        lockout: acd.lockout,
    }
}

/// An agent as the distributor sees them.
fn profile(agent: &AgentConfig) -> AgentProfile {
    AgentProfile {
        id: AgentId::new(&agent.name),
        display_name: agent
            .display_name
            .clone()
            .unwrap_or_else(|| agent.name.clone()),
        skills: agent.skills.clone(),
    }
}

/// Opens the demo order system and fills it from the seed files, replacing what the last run
/// left (cancellations, address changes).
fn open_orders(settings: &OrdersConfig, database: &Path) -> anyhow::Result<OrderBook> {
    let seed = Seed::load(&settings.seed)?;
    let book = OrderBook::open(database)?;
    book.seed(&seed)?;
    info!(
        orders = seed.orders.len(),
        customers = seed.customers.len(),
        "demo orders seeded from {}",
        settings.seed.display()
    );
    Ok(book)
}

/// Hotline's own HTTP origin as flows reach it: a wildcard listen address becomes loopback.
fn http_origin(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", address.port())
}

/// Warns about translations of a route's flow that cannot serve: not loaded, or in the
/// language of the flow itself.
fn check_translations(route: &crate::config::Route, flows: &PublishedFlows) {
    let language = flows.get(&route.flow).map(|flow| flow.language);
    for name in &route.translations {
        match flows.get(name) {
            None => {
                warn!(number = %route.number, flow = %name, "the route's translation is not loaded")
            }
            Some(translation) if Some(translation.language) == language => warn!(
                number = %route.number,
                flow = %name,
                "the route's translation is in the language of its flow: callers never reach it"
            ),
            Some(_) => {}
        }
    }
}

async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch SIGINT")?;
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    Ok(())
}
