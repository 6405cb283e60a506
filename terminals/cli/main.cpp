// The hakto program. Exceptions stop here.
#include <exception>
#include <iostream>

#include "terminals/cli/cli.hpp"

int main(int argc, char** argv) {
    try {
        std::ios::sync_with_stdio(false);
        std::vector<std::string> args(argv + 1, argv + argc);
        int rc = hakto::terminals::run_cli(args, {std::cin, std::cout, std::cerr});
        std::cout.flush();
        return rc;
    } catch (const std::exception& e) {
        std::cerr << "hakto: internal error: " << e.what() << "\n";
        return 70;
    }
}
