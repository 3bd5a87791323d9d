//! Generated inputs for the no-panic unit tests: strings of pieces from an
//! alphabet, drawn by a fixed-seed xorshift so every failure reproduces.

/// `count` strings of up to `max_pieces - 1` pieces of `alphabet`.
pub(crate) fn strings(
    seed: u64,
    alphabet: &'static [&'static str],
    max_pieces: u64,
    count: usize,
) -> impl Iterator<Item = String> {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count).map(move |_| {
        let pieces = next() % max_pieces;
        (0..pieces)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect()
    })
}
