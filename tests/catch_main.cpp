// The Catch2 runner's main. Before any test runs, HAKTO_DATA_DIR points at a folder of the build
// tree that holds no FRUS volume, for this process and every `hakto` it starts: the volume that
// `hakto frus fetch` may have stored in the developer's ~/.local/share/hakto or the service's
// /var/lib/hakto must not change what the tests see (terminals/frus/frus_volume.hpp: an explicit
// HAKTO_DATA_DIR is the only data directory). A test that wants a volume passes --data-dir or
// sets its own.
#define CATCH_CONFIG_RUNNER
#include <cstdlib>

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
    ::setenv("HAKTO_DATA_DIR", HAKTO_TEST_DATA_DIR, 1);
    return Catch::Session().run(argc, argv);
}
