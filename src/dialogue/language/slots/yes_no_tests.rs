//! Chinese and mixed yes/no answers (the English ones are in `slots_tests.rs`).

use super::normalise;
use crate::dialogue::language::slots::SlotError;

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
