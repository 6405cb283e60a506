// fuzz-link: hakto_protocol
// The wire protocol's frame codec (protocol/wire/wire_frame.hpp), as a peer's bytes reach it.
// Properties, each a crash when broken:
// - `decode` of the whole input either fails with a typed error naming a frame and a reason,
//   or gives a frame that passes `validate` and encodes back to exactly the input bytes;
// - the incremental decoder, fed the input in pieces (sizes taken from the first byte), gives
//   the same frames as decoding them one at a time, never holds more than its capacity, and
//   after its first error gives only errors;
// - every frame it gives passes `validate` and re-encodes to the bytes it came from;
// - a sealed frame (type 11) holds at least an inner type and a tag, and at most one frame's
//   largest payload more (its payload up to max_sealed_payload, every other type's up to
//   max_payload).
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "protocol/wire/wire_frame.hpp"

namespace wire = hakto::protocol::wire;

namespace {

void check_bounds(const wire::frame& f) {
    const auto size = wire::encode(f).size() - wire::header_size;
    if (const auto* s = std::get_if<wire::sealed>(&f)) {
        HAKTO_FUZZ_CHECK(
            s->body.size() >= 1 + wire::seal_tag_size && size <= wire::max_sealed_payload,
            "a sealed frame holds an inner type and a tag, within its bound");
    } else {
        HAKTO_FUZZ_CHECK(size <= wire::max_payload, "a frame's payload is within max_payload");
    }
}

void check_whole(std::span<const std::uint8_t> bytes) {
    auto f = wire::decode(bytes);
    if (!f) {
        HAKTO_FUZZ_CHECK(!f.error().frame.empty() && !f.error().reason.empty(),
                         "a decode error names the frame and the reason", f.error().message());
        return;
    }
    HAKTO_FUZZ_CHECK(static_cast<bool>(wire::validate(f.value())),
                     "a decoded frame passes validate");
    check_bounds(f.value());
    auto again = wire::encode(f.value());
    HAKTO_FUZZ_CHECK(std::equal(again.begin(), again.end(), bytes.begin(), bytes.end()),
                     "a decoded frame encodes back to its bytes");
}

void check_stream(std::span<const std::uint8_t> bytes, std::size_t piece) {
    wire::decoder d;
    std::size_t fed = 0;
    bool failed = false;
    std::vector<std::uint8_t> frame_bytes;  // the bytes of the frames given so far
    while (fed < bytes.size()) {
        auto n = std::min(piece, bytes.size() - fed);
        n = std::min(n, d.room());
        if (n == 0) break;  // full: a frame larger than the decoder holds must have failed
        auto r = d.feed(bytes.subspan(fed, n));
        HAKTO_FUZZ_CHECK(static_cast<bool>(r), "feed within room() succeeds",
                         r ? "" : r.error().message());
        fed += n;
        while (true) {
            auto next = d.next();
            if (!next) {
                failed = true;
                HAKTO_FUZZ_CHECK(!next.error().reason.empty(), "a stream error gives its reason");
                break;
            }
            HAKTO_FUZZ_CHECK(!failed, "after an error the decoder gives no frame");
            if (!next.value()) break;
            const auto& f = *next.value();
            HAKTO_FUZZ_CHECK(static_cast<bool>(wire::validate(f)),
                             "a streamed frame passes validate");
            check_bounds(f);
            wire::encode_to(f, frame_bytes);
        }
        HAKTO_FUZZ_CHECK(d.buffered() <= 2 * wire::max_frame,
                         "the decoder holds at most its capacity");
        if (failed) {
            auto after = d.next();
            HAKTO_FUZZ_CHECK(!after, "after an error the decoder keeps failing");
            return;
        }
    }
    // Frames given re-encode to the start of the stream, byte for byte.
    HAKTO_FUZZ_CHECK(frame_bytes.size() <= fed &&
                         std::equal(frame_bytes.begin(), frame_bytes.end(), bytes.begin()),
                     "streamed frames re-encode to the bytes they came from");
}

}  // namespace

HAKTO_FUZZ_ENTRY(wire_frame) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + (data[0] % 64) * (data[0] >= 128 ? 64 : 1);
    const std::span<const std::uint8_t> rest{data + 1, size - 1};
    hakto::fuzz::no_exception("the wire frame codec", [&] {
        check_whole(rest);
        check_stream(rest, piece);
    });
    return 0;
}
