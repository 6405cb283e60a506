#pragma once
// On-line Vernam encryption with a one-time key tape.
//
// WHAT THIS MODELS. A one-time key tape (Vernam / one-time tape, "OTT"), as described in the
// open literature (protocol facts §4): each 5-level line code is combined element by element
// with one character of a random key tape, the rule we now call XOR; the far end applies the
// same operation with an identical copy of the tape. It does NOT model any classified machine:
// not the KW-26, not the KW-37, not any other; there is no key generator here at all, only a
// random tape made from a seed.
//
// Rules encoded ("what a faithful simulator must model" 15, protocol facts §4):
// - c = p ⊕ k for every line code, shifts, CR and LF included; the same operation decrypts.
//   Test vector from Vernam's patent: A ⊕ B = G (0x03 ⊕ 0x19 = 0x1A).
// - One key character per line character. Both ends must read the tape at the same offset; a
//   slip of n characters gives random output from that point on.
// - Two copies are punched at once, one per end (key_tape::punch_pair).
// - A key position is never used twice to encrypt: the tape keeps the ranges used, refuses an
//   encryption that would reuse any of them, and records the refusal. Reuse would be fatal:
//   c1 ⊕ c2 = p1 ⊕ p2 (detect_depth shows it).
// - Recovery from a slip, modelled on the 5-UCO practice of the receiving operator "walking"
//   the key tape up or down one character at a time: resync_receiver watches the decrypted
//   stream, notices when it stops looking like plain teleprinter text, tries offsets
//   0, +1, -1, +2, -2, ... ±max_offset on the recent characters until one decryption clearly
//   looks like text again, then steps its reader and reports the slip and where step was
//   regained. This is a heuristic on the text, not a reconstruction of any equipment.
//
// The key tape's codes come from xoshiro256** seeded from one 64-bit seed (sim/noise.hpp): the
// same seed punches the same tape. Twelve 5-bit codes come from the top 60 bits of each draw.
// A punched tape is not held in memory: its codes are made a block at a time when they are read,
// from the generator's state saved at the start of each block, and the last few blocks read are
// kept (a tape of a million codes costs kilobytes, not a megabyte; see detail::key_source).
//
// See docs/crypto-model.md.
#include "sim/crypto/depth.hpp"
#include "sim/crypto/key_tape.hpp"
#include "sim/crypto/resync.hpp"
#include "sim/crypto/text_score.hpp"
