#include "sim/crypto/depth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>

#include "sim/crypto/text_score_tables.hpp"

namespace hakto::sim {

namespace {

// Depth test: P_depth(x) = sum_a P(a) P(a ⊕ x) with P the letters table; per-code
// log2(32 P_depth(x)), and its mean and variance when x is flat (independent keys).
struct depth_tables {
    std::array<double, 32> llr{};
    double mean_flat = 0.0;
    double variance_flat = 0.0;
};

const depth_tables& depth_llr() {
    static const depth_tables t = [] {
        depth_tables d;
        double total = 0.0;
        const auto& letters_weights = detail::letters_weights();
        for (const double w : letters_weights) {
            total += w;
        }
        for (std::size_t x = 0; x < 32; ++x) {
            double p = 0.0;
            for (std::size_t a = 0; a < 32; ++a) {
                p += letters_weights[a] / total * letters_weights[a ^ x] / total;
            }
            d.llr[x] = std::log2(32.0 * p);
            d.mean_flat += d.llr[x] / 32.0;
        }
        for (const double l : d.llr) {
            d.variance_flat += (l - d.mean_flat) * (l - d.mean_flat) / 32.0;
        }
        return d;
    }();
    return t;
}

}  // namespace

depth_report detect_depth(std::span<const code> c1, std::span<const code> c2, double z_threshold) {
    depth_report r;
    r.length = std::min(c1.size(), c2.size());
    r.combined.reserve(r.length);
    std::array<std::size_t, 32> counts{};
    for (std::size_t i = 0; i < r.length; ++i) {
        const code x = vernam(c1[i], c2[i]);
        r.combined.push_back(x);
        ++counts[x];
    }
    r.coincidences = counts[0];
    if (r.length > 0) {
        const depth_tables& t = depth_llr();
        const double n = static_cast<double>(r.length);
        r.coincidence_rate = static_cast<double>(r.coincidences) / n;
        double sum = 0.0;
        for (std::size_t x = 0; x < 32; ++x) {
            sum += static_cast<double>(counts[x]) * t.llr[x];
        }
        r.z = (sum - n * t.mean_flat) / std::sqrt(n * t.variance_flat);
        r.in_depth = r.z >= z_threshold;
    }
    return r;
}

}  // namespace hakto::sim
