//! The command line of the benchmark examples that drive this server (`examples/paging_bench.rs` here,
//! `cli/examples/jsonl_bench.rs` in `qps-cli`): `--flag value` pairs, and whole-number values.

use std::str::FromStr;

/// The `--flag value` pairs of `args` (the command line after the program name), in order. A flag given
/// without a value yields an error naming it, and ends the pairs.
pub fn flag_values(
    args: impl IntoIterator<Item = String>,
) -> impl Iterator<Item = Result<(String, String), String>> {
    let mut args = args.into_iter();
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        let flag = args.next()?;
        Some(match args.next() {
            Some(value) => Ok((flag, value)),
            None => {
                failed = true;
                Err(format!("{flag} needs a value"))
            }
        })
    })
}

/// `text`, spaces around it allowed, as a whole number; an error names `flag` and the text.
pub fn whole_number<T: FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{flag}: {text:?} is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pairs_each_flag_with_its_value() {
        let pairs: Result<Vec<_>, _> =
            flag_values(strings(&["--runs", "3", "--counts", "10,20"])).collect();
        assert_eq!(
            pairs.unwrap(),
            [
                ("--runs".to_owned(), "3".to_owned()),
                ("--counts".to_owned(), "10,20".to_owned())
            ]
        );
        assert_eq!(flag_values(Vec::new()).count(), 0);
    }

    #[test]
    fn a_flag_without_a_value_is_named_and_ends_the_pairs() {
        let mut pairs = flag_values(strings(&["--runs", "3", "--page"]));
        assert_eq!(pairs.next(), Some(Ok(("--runs".into(), "3".into()))));
        assert_eq!(pairs.next(), Some(Err("--page needs a value".into())));
        assert_eq!(pairs.next(), None);
    }

    #[test]
    fn whole_numbers_allow_spaces_and_refuse_the_rest() {
        assert_eq!(whole_number::<usize>("--counts", " 10 "), Ok(10));
        assert_eq!(
            whole_number::<u64>("--page", "-1"),
            Err("--page: \"-1\" is not a whole number".to_owned())
        );
        assert_eq!(
            whole_number::<u32>("--runs", "2.5"),
            Err("--runs: \"2.5\" is not a whole number".to_owned())
        );
    }
}
