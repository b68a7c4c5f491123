//! Yes/no answers in English, Chinese and both.

use super::super::test_tables::{check_find as check_find_of, check_normalise, today};
use super::super::{SlotError, SlotKind, normalise as normalise_slot};

fn normalise(answer: &str) -> Result<String, SlotError> {
    normalise_slot(&SlotKind::YesNo, answer, today())
}

fn check_find(rows: &[(&str, Option<&str>)]) {
    check_find_of(SlotKind::YesNo, rows);
}

#[test]
fn yes_no_answers_normalise() {
    let yes = [
        "yes",
        "Yes.",
        "YEAH",
        "yeah sure",
        "yep",
        "yup",
        "y",
        "sure",
        "correct",
        "That's correct.",
        "that is correct",
        "right",
        "That's right!",
        "affirmative",
        "uh huh",
        "Uh-huh.",
        "Mm-hmm.",
        "absolutely",
        "of course",
        "yes please",
        "sure, no problem",
        "okay",
        "I think so",
        "that's not wrong",
    ];
    let no = [
        "no",
        "No.",
        "NOPE",
        "nah",
        "n",
        "wrong",
        "incorrect",
        "not really",
        "negative",
        "that's not right",
        "not correct",
        "That is not correct.",
        "that's wrong",
        "no, that's wrong",
        "it isn't right",
        "not quite right",
        "absolutely not",
        "of course not",
        "I don't think so",
        "no thanks",
        "not at all",
    ];
    let unclear = [
        "yes no",
        "yeah, no",
        "no, that's right",
        "yes, that's not right",
        "maybe",
        "I'm not sure",
        "I don't know",
        "yes, I think, maybe",
    ];
    let neither = ["the blue one", "hmm", "what did you say", "12345"];
    let mut rows: Vec<(&str, Result<&str, SlotError>)> = Vec::new();
    rows.extend(yes.iter().map(|&answer| (answer, Ok("yes"))));
    rows.extend(no.iter().map(|&answer| (answer, Ok("no"))));
    rows.extend(
        unclear
            .iter()
            .map(|&answer| (answer, Err(SlotError::UnclearYesOrNo))),
    );
    rows.extend(
        neither
            .iter()
            .map(|&answer| (answer, Err(SlotError::NotYesOrNo))),
    );
    rows.push(("", Err(SlotError::NoAnswer)));
    check_normalise(SlotKind::YesNo, &rows);
}

#[test]
fn yes_or_no_is_found_in_sentences() {
    check_find(&[
        ("yes, and can you also check my refund", Some("yes")),
        ("no, I want to cancel it instead", Some("no")),
        ("where is my order", None),
        ("yes no", None),
    ]);
}

fn check(answers: &[&str], expected: &Result<String, SlotError>) {
    for answer in answers {
        assert_eq!(&normalise(answer), expected, "{answer:?}");
    }
}

#[test]
fn chinese_yes() {
    check(
        &[
            "是",
            "是的",
            "是的。",
            "对",
            "对的",
            "对啊",
            "对对对",
            "好",
            "好的",
            "好吧",
            "可以",
            "行",
            "没问题",
            "没有问题",
            "嗯",
            "嗯嗯",
            "确认",
            "没错",
            "当然",
            "当然可以",
            "是，我要退货",
            "我觉得是",
            "那是对的",
            "好 谢谢",
            "是 yes",
            "是的 yes",
            "Yes，是的",
        ],
        &Ok("yes".to_string()),
    );
}

#[test]
fn chinese_no() {
    check(
        &[
            "不是",
            "不是的",
            "不对",
            "不用",
            "不用了",
            "不要",
            "不行",
            "算了",
            "没有",
            "不",
            "不，谢谢",
            "不需要",
            "错了",
            "不好",
            "不可以",
            "我不要",
            "no，不是",
        ],
        &Ok("no".to_string()),
    );
}

#[test]
fn chinese_unclear() {
    check(
        &[
            "不知道",
            "我不确定",
            "也许",
            "可能吧",
            "说不好",
            "是的 no",
            "对，不对",
            "是不是",
            "yes 不是",
        ],
        &Err(SlotError::UnclearYesOrNo),
    );
}

#[test]
fn chinese_neither() {
    check(
        &[
            "我的订单号是12345",
            "我的订单号是 1 2 3 4 5",
            "你好",
            "对不起，我没听清",
            "不好意思",
            "好像",
            "嗯我想想",
            "是吗",
            "怎么退货",
        ],
        &Err(SlotError::NotYesOrNo),
    );
}

#[test]
fn chinese_yes_or_no_is_found_in_sentences() {
    check_find(&[
        ("是的，我还想问一下退款", Some("yes")),
        ("不用了，我自己查", Some("no")),
        ("我的订单号是12345", None),
        ("你好，我想查订单", None),
    ]);
}
