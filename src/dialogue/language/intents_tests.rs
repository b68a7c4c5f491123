//! Intents files, keywords, calibration and classification on small hand-made embeddings (the
//! real model's behaviour is tested in tests/understand.rs).

use std::path::Path;

use super::*;

const FILE: &str = "\
schema = 1
threshold = 0.5
unrelated = [\"nice weather\"]

[[intent]]
name = \"order_status\"
examples = [\"where is my order\", \"track my package\"]

[[intent]]
name = \"speak_to_agent\"
examples = [\"let me talk to a person\"]
keywords = [\"representative\", \"agent\"]
";

fn parse(text: &str) -> Result<Intents, IntentsError> {
    Intents::parse(text, Path::new("main.intents.toml"))
}

/// A unit vector along `axis` of a 3-dimensional space.
fn axis(axis: usize) -> Vec<f32> {
    let mut vector = vec![0.0; 3];
    vector[axis] = 1.0;
    vector
}

/// An index whose examples of order_status lie on axis 0, speak_to_agent on axis 1 and the
/// unrelated example on axis 2.
fn index() -> IntentIndex {
    let intents = parse(FILE).expect("valid file");
    IntentIndex::build(intents, |text: &str| {
        Ok::<_, ()>(match text {
            "nice weather" => axis(2),
            "let me talk to a person" => axis(1),
            _ => axis(0),
        })
    })
    .expect("embedded")
}

fn words(text: &str) -> Vec<String> {
    normalise(text)
}

#[test]
fn calibration_defaults_when_absent_and_is_read_when_present() {
    let intents = parse(FILE).expect("valid file");
    assert_eq!(intents.calibration, Calibration::default());
    assert_eq!(intents.unrelated, ["nice weather"]);
    let calibrated = format!("{FILE}\n[calibration]\nsimilarity = 10\nmargin = 20\nbias = -5\n");
    let intents = parse(&calibrated).expect("valid file");
    assert_eq!(
        intents.calibration,
        Calibration {
            similarity: 10.0,
            margin: 20.0,
            bias: -5.0
        }
    );
}

#[test]
fn a_printed_calibration_pastes_back_into_a_file() {
    let calibration = Calibration {
        similarity: 12.4219,
        margin: 36.398,
        bias: -6.0521,
    };
    let intents = parse(&format!("{FILE}\n{calibration}\n")).expect("valid file");
    assert!((intents.calibration.similarity - 12.422).abs() < 1e-4);
    assert!((intents.calibration.bias + 6.052).abs() < 1e-4);
}

#[test]
fn bad_calibration_names_its_line() {
    let unknown = parse(&format!(
        "{FILE}\n[calibration]\nsimilarity = 1\nmargin = 1\nbias = 0\nslope = 2\n"
    ));
    match unknown {
        Err(IntentsError::Syntax { line, message, .. }) => {
            assert_eq!(line, 18, "{message}");
            assert!(message.contains("slope"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    let infinite = parse(&format!(
        "{FILE}\n[calibration]\nsimilarity = inf\nmargin = 1\nbias = 0\n"
    ));
    match infinite {
        Err(IntentsError::Invalid { line, message, .. }) => {
            assert_eq!(line, 14, "{message}");
            assert!(message.contains("finite"), "{message}");
        }
        other => panic!("expected an invalid file, got {other:?}"),
    }
}

#[test]
fn keywords_survive_words_split_by_speech_recognition() {
    let keyword = Keyword::new("representative").expect("letters");
    assert!(keyword.occurs_in(&words("I want to talk to a represent a tive")));
    assert!(keyword.occurs_in(&words("Representatives, please!")));
    assert!(!keyword.occurs_in(&words("represent a tiger")));
    let agent = Keyword::new("agent").expect("letters");
    assert!(!agent.occurs_in(&words("a gentleman called")));
    assert!(!agent.occurs_in(&words("agentive")));
    let phrase = Keyword::new("real person").expect("letters");
    assert!(phrase.occurs_in(&words("a realperson please")));
    assert!(phrase.occurs_in(&words("a real person please")));
    assert_eq!(Keyword::new("?!"), None);
}

#[test]
fn a_keyword_decides_with_confidence_one() {
    let understanding = index().classify("get me an agent", &axis(0));
    assert_eq!(understanding.intent.as_deref(), Some("speak_to_agent"));
    assert_eq!(understanding.confidence, 1.0);
}

#[test]
fn the_closest_intent_wins_with_a_calibrated_confidence() {
    let index = index();
    let understanding = index.classify("where's my parcel", &axis(0));
    assert_eq!(understanding.intent.as_deref(), Some("order_status"));
    let expected = Calibration::default().confidence(1.0, 1.0);
    assert!((understanding.confidence - expected).abs() < 1e-6);
    let halfway = index.classify("something", &[0.3, 0.3, 0.0]);
    assert_eq!(halfway.intent, None, "far from both, and no margin");
    assert_eq!(halfway.closest.as_deref(), Some("order_status"));
    assert!(halfway.confidence < 0.5);
}

#[test]
fn closeness_to_unrelated_examples_is_no_match() {
    let understanding = index().classify("nice and sunny", &[0.5, 0.0, 0.866]);
    assert_eq!(understanding.intent, None);
    assert_eq!(understanding.closest.as_deref(), Some("order_status"));
    let scores = index().scores(&[0.5, 0.0, 0.866]).expect("scores");
    assert!(scores.margin < 0.0, "{scores:?}");
}

#[test]
fn text_without_words_is_no_match() {
    let understanding = index().classify(" ?! ", &axis(0));
    assert_eq!(
        understanding,
        Understanding {
            intent: None,
            confidence: 0.0,
            closest: None,
            also: Vec::new(),
        }
    );
}

#[test]
fn split_words_are_joined_when_the_examples_know_them() {
    let index = index();
    assert_eq!(
        index.rejoin_split_words("Where's my or der, please?"),
        "Where's my order please?",
        "only the split word changes"
    );
    assert_eq!(
        index.rejoin_split_words("track my pack age"),
        "track my package"
    );
    assert_eq!(
        index.rejoin_split_words("Where's my order?"),
        "Where's my order?",
        "nothing to join: the text is unchanged"
    );
    assert_eq!(
        index.rejoin_split_words("talk to a per son"),
        "talk to a person"
    );
}

#[test]
fn a_fit_separates_right_from_wrong() {
    let sample = |similarity: f32, correct: bool| Sample {
        scores: Scores {
            intent: "order_status".into(),
            similarity,
            margin: similarity / 2.0,
        },
        correct,
    };
    let mut samples = Vec::new();
    for step in 0..10 {
        let similarity = 0.2 + step as f32 * 0.06;
        samples.push(sample(similarity, step >= 5));
        samples.push(sample(similarity, step >= 4));
    }
    let calibration = Calibration::fit(&samples).expect("a fit");
    assert!(calibration.confidence(0.2, 0.1) < 0.05, "{calibration}");
    assert!(calibration.confidence(0.8, 0.4) > 0.95, "{calibration}");
    let middle = calibration.confidence(0.47, 0.235);
    assert!((0.2..0.8).contains(&middle), "{middle} {calibration}");
    assert_eq!(Calibration::fit(&[]), None);
}

#[test]
fn labelled_sets_name_the_bad_line() {
    let path = Path::new("set.tsv");
    let known = ["order_status"];
    let text = "# comment\nwhere is it\torder_status\nhello\tnone\n";
    let set = parse_labelled(text, path, &known).expect("valid set");
    assert_eq!(set.len(), 2);
    assert_eq!(set[1].intent, None);
    let text = "where is it\torder_status\nhello\tgreeting\n";
    let error = parse_labelled(text, path, &known).expect_err("unknown intent");
    assert!(
        error.to_string().contains("set.tsv:2: unknown intent"),
        "{error}"
    );
    let error = parse_labelled("where is it order_status\n", path, &known).expect_err("no tab");
    assert!(error.to_string().contains("set.tsv:1:"), "{error}");
}

#[test]
fn a_measurement_counts_accuracy_and_calibration() {
    let index = index();
    let labelled = |text: &str, intent: Option<&str>| Labelled {
        text: text.into(),
        intent: intent.map(str::to_string),
    };
    let set = vec![
        (labelled("where's my parcel", Some("order_status")), axis(0)),
        (labelled("get me an agent", Some("speak_to_agent")), axis(0)),
        (labelled("nice and sunny", None), vec![0.5, 0.0, 0.866]),
        (
            labelled("where's my parcel", Some("speak_to_agent")),
            axis(0),
        ),
    ];
    let measurement = index.measure(&set);
    assert_eq!(measurement.count, 4);
    assert!((measurement.accuracy - 0.75).abs() < 1e-6);
    assert_eq!(measurement.bands.len(), 5);
    assert_eq!(
        measurement
            .bands
            .iter()
            .map(|band| band.count)
            .sum::<usize>(),
        4
    );
    let samples = index.samples(&set);
    assert_eq!(samples.len(), 3, "the keyword line is left out");
    assert_eq!(samples.iter().filter(|sample| sample.correct).count(), 1);
}
