#pragma once
// Runs `hakto <args…>` in-process with string streams.
#include <sstream>
#include <string>
#include <vector>

#include "terminals/cli/cli.hpp"

namespace hakto::test {

struct run_result {
    int code;
    std::string out, err;
};

inline run_result run(std::vector<std::string> args, const std::string& input = {}) {
    std::istringstream in(input);
    std::ostringstream out, err;
    int code = hakto::terminals::run_cli(args, {in, out, err});
    return {code, out.str(), err.str()};
}

}  // namespace hakto::test
