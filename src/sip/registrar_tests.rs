use super::*;
use md5::{Digest, Md5};

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn settings() -> RegistrarSettings {
    RegistrarSettings {
        realm: "hotline".to_string(),
        minimum_expiry: 30,
        maximum_expiry: 3600,
        failed_logins: 3,
        lockout: Duration::from_secs(60),
    }
}

fn registrar(now: Instant) -> Registrar {
    let credentials = [
        (
            "agent1".to_string(),
            digest::ha1("agent1", "hotline", "first"),
        ),
        (
            "agent2".to_string(),
            digest::ha1("agent2", "hotline", "second"),
        ),
    ];
    Registrar::new(settings(), credentials, [1; 32], now)
}

fn request(user: &str, contacts: &[(&str, Option<u32>)], sequence: u32) -> RegisterRequest {
    RegisterRequest {
        user: user.to_string(),
        authorization: None,
        contacts: contacts
            .iter()
            .map(|(uri, expires)| RequestedContact {
                uri: uri.to_string(),
                expires: *expires,
            })
            .collect(),
        wildcard: false,
        expires: None,
        call_id: "reg-1".to_string(),
        sequence,
        source: "127.0.0.1:5070".parse().unwrap(),
        transport: "UDP".to_string(),
    }
}

fn nonce_of(reply: &RegisterReply) -> String {
    let RegisterReply::Challenge(header) = reply else {
        panic!("expected a challenge, got {reply:?}");
    };
    let start = header.find("nonce=\"").unwrap() + 7;
    header[start..].split('"').next().unwrap().to_string()
}

fn authorize(request: &mut RegisterRequest, nonce: &str, password: &str) {
    let ha1 = digest::ha1(&request.user, "hotline", password);
    let uri = "sip:127.0.0.1:5060";
    let ha2 = md5_hex(&format!("REGISTER:{uri}"));
    let response = md5_hex(&format!("{ha1}:{nonce}:00000001:c1:auth:{ha2}"));
    request.authorization = Some(format!(
        "Digest username=\"{}\", realm=\"hotline\", nonce=\"{nonce}\", uri=\"{uri}\", \
         response=\"{response}\", qop=auth, nc=00000001, cnonce=\"c1\", algorithm=MD5",
        request.user
    ));
}

/// Challenges, then registers with the right password.
fn register(
    registrar: &mut Registrar,
    now: Instant,
    mut request: RegisterRequest,
    password: &str,
) -> RegisterReply {
    let nonce = nonce_of(&registrar.handle_register(now, &request));
    authorize(&mut request, &nonce, password);
    registrar.handle_register(now, &request)
}

#[test]
fn an_agent_registers_after_a_challenge_and_is_found() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    let reply = register(
        &mut registrar,
        now,
        request("agent1", &[("sip:agent1@127.0.0.1:5070", None)], 1),
        "first",
    );
    assert_eq!(
        reply,
        RegisterReply::Registered(vec![("sip:agent1@127.0.0.1:5070".to_string(), 3600)])
    );
    assert_eq!(
        registrar.poll_change(),
        Some(RegistrationChange {
            agent: "agent1".to_string(),
            contacts: 1
        })
    );
    assert_eq!(registrar.poll_change(), None);
    let binding = registrar.best_contact("agent1").expect("registered");
    assert_eq!(binding.source, "127.0.0.1:5070".parse().unwrap());
    assert!(registrar.best_contact("agent2").is_none());
}

#[test]
fn several_contacts_expire_one_by_one_and_unregister_removes_them() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    let first = request(
        "agent1",
        &[
            ("sip:desk@10.0.0.1", Some(60)),
            ("sip:mobile@10.0.0.2", Some(120)),
        ],
        1,
    );
    let reply = register(&mut registrar, now, first, "first");
    let RegisterReply::Registered(contacts) = reply else {
        panic!("{reply:?}");
    };
    assert_eq!(contacts.len(), 2);
    assert_eq!(
        registrar.poll_timeout(),
        Some(now + Duration::from_secs(60))
    );
    registrar.handle_timeout(now + Duration::from_secs(61));
    assert_eq!(registrar.contacts("agent1").len(), 1);
    let _ = registrar.poll_change();
    let _ = registrar.poll_change();
    let mut removal = request("agent1", &[("sip:mobile@10.0.0.2", Some(0))], 2);
    let later = now + Duration::from_secs(62);
    assert_eq!(
        register(&mut registrar, later, removal.clone(), "first"),
        RegisterReply::Registered(vec![])
    );
    assert_eq!(
        registrar.poll_change(),
        Some(RegistrationChange {
            agent: "agent1".to_string(),
            contacts: 0
        })
    );
    removal.contacts.clear();
    removal.wildcard = true;
    removal.sequence = 3;
    let refused = register(&mut registrar, later, removal, "first");
    assert!(
        matches!(refused, RegisterReply::Refused { status: 400, .. }),
        "{refused:?}"
    );
}

#[test]
fn too_brief_intervals_get_the_minimum_and_long_ones_are_cut() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    let brief = request("agent1", &[("sip:desk@10.0.0.1", Some(10))], 1);
    assert_eq!(
        register(&mut registrar, now, brief, "first"),
        RegisterReply::IntervalTooBrief(30)
    );
    let long = request("agent1", &[("sip:desk@10.0.0.1", Some(86_400))], 2);
    assert_eq!(
        register(&mut registrar, now, long, "first"),
        RegisterReply::Registered(vec![("sip:desk@10.0.0.1".to_string(), 3600)])
    );
}

#[test]
fn wrong_passwords_are_refused_and_lock_the_source_out() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    for attempt in 1..=3 {
        let reply = register(
            &mut registrar,
            now,
            request("agent1", &[("sip:x@10.0.0.9", None)], attempt),
            "guess",
        );
        let RegisterReply::Refused { status, reason } = reply else {
            panic!("{reply:?}");
        };
        assert_eq!(status, 403);
        assert_eq!(reason.contains("too many"), attempt == 3, "{reason}");
    }
    let locked = registrar.handle_register(now, &request("agent1", &[], 4));
    assert!(
        matches!(locked, RegisterReply::Refused { status: 403, .. }),
        "{locked:?}"
    );
    assert!(registrar.contacts("agent1").is_empty());
    let later = now + Duration::from_secs(61);
    let reply = register(
        &mut registrar,
        later,
        request("agent1", &[("sip:x@10.0.0.9", None)], 5),
        "first",
    );
    assert!(matches!(reply, RegisterReply::Registered(_)), "{reply:?}");
}

#[test]
fn another_agents_password_or_an_unknown_user_does_not_register() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    let mut request_for_agent1 = request("agent1", &[("sip:x@10.0.0.9", None)], 1);
    let nonce = nonce_of(&registrar.handle_register(now, &request_for_agent1));
    request_for_agent1.user = "agent2".to_string();
    authorize(&mut request_for_agent1, &nonce, "second");
    request_for_agent1.user = "agent1".to_string();
    let reply = registrar.handle_register(now, &request_for_agent1);
    assert!(
        matches!(reply, RegisterReply::Refused { status: 403, .. }),
        "{reply:?}"
    );
    let stranger = register(
        &mut registrar,
        now,
        request("mallory", &[("sip:m@10.0.0.9", None)], 1),
        "x",
    );
    assert!(
        matches!(stranger, RegisterReply::Refused { status: 403, .. }),
        "{stranger:?}"
    );
}

#[test]
fn stale_nonces_are_rechallenged_and_old_sequences_ignored() {
    let now = Instant::now();
    let mut registrar = registrar(now);
    let mut first = request("agent1", &[("sip:desk@10.0.0.1", Some(600))], 5);
    let nonce = nonce_of(&registrar.handle_register(now, &first));
    authorize(&mut first, &nonce, "first");
    let later = now + Duration::from_secs(digest::NONCE_LIFETIME_SECONDS + 5);
    let RegisterReply::Challenge(header) = registrar.handle_register(later, &first) else {
        panic!("expected a stale challenge");
    };
    assert!(header.contains("stale=true"), "{header}");
    assert!(matches!(
        registrar.handle_register(now, &first),
        RegisterReply::Registered(_)
    ));
    let mut replay = request("agent1", &[("sip:desk@10.0.0.1", Some(0))], 4);
    authorize(&mut replay, &nonce, "first");
    let RegisterReply::Registered(contacts) = registrar.handle_register(now, &replay) else {
        panic!("expected the bindings");
    };
    assert_eq!(
        contacts.len(),
        1,
        "an older CSeq must not remove the binding"
    );
}

#[test]
fn requests_go_to_the_contact_unless_it_hides_behind_nat_or_a_connection() {
    let now = Instant::now();
    let binding = |uri: &str, source: &str, transport: &str| Binding {
        uri: uri.to_string(),
        source: source.parse().unwrap(),
        transport: transport.to_string(),
        expires_at: now,
        refreshed_at: now,
        call_id: String::new(),
        sequence: 1,
    };
    let same_host = binding("sip:agent1@127.0.0.1:5070", "127.0.0.1:40000", "UDP");
    assert_eq!(same_host.target(), "127.0.0.1:5070".parse().unwrap());
    let behind_nat = binding("sip:agent1@192.168.1.20:5070", "203.0.113.9:61000", "UDP");
    assert_eq!(behind_nat.target(), "203.0.113.9:61000".parse().unwrap());
    let default_port = binding("sip:agent1@10.0.0.5;transport=udp", "10.0.0.5:5060", "UDP");
    assert_eq!(default_port.target(), "10.0.0.5:5060".parse().unwrap());
    let by_name = binding("sip:agent1@desk.example;ob", "10.0.0.5:5062", "UDP");
    assert_eq!(by_name.target(), "10.0.0.5:5062".parse().unwrap());
    let over_tcp = binding(
        "sip:agent1@127.0.0.1:5070;transport=tcp",
        "127.0.0.1:40001",
        "TCP",
    );
    assert_eq!(over_tcp.target(), "127.0.0.1:40001".parse().unwrap());
    let ipv6 = binding("sip:agent1@[::1]:5070", "[::1]:40000", "UDP");
    assert_eq!(ipv6.target(), "[::1]:5070".parse().unwrap());
}
