// The one bounded file reader and the atomic writer (sim/io/file_reader).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "sim/io/file_reader.hpp"

using namespace hakto::sim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

/// A new, empty folder under the system's temporary folder, removed with its contents when the
/// test ends.
class scratch_dir {
  public:
    scratch_dir() {
        static std::atomic<int> counter{0};
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = fs::temp_directory_path() /
                ("hakto-file-reader-test-" + std::to_string(::getpid()) + "-" +
                 std::to_string(stamp) + "-" + std::to_string(++counter));
        REQUIRE(fs::create_directory(path_));
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }
    /// The names of what the folder holds, sorted.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path_))
            out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

  private:
    fs::path path_;
};

void put(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    REQUIRE(f.good());
    f << data;
    REQUIRE(f.good());
}

std::string contents(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// A stream buffer that hands out `data` and then fails, as a device does on a read error.
class failing_buf : public std::streambuf {
  public:
    explicit failing_buf(std::string data) : data_(std::move(data)) {
        setg(data_.data(), data_.data(), data_.data() + data_.size());
    }

  protected:
    int_type underflow() override { throw std::ios_base::failure("device gone"); }

  private:
    std::string data_;
};

}  // namespace

TEST_CASE("read_file returns the whole file, byte for byte") {
    scratch_dir dir;
    const std::string data{"ZCZC\r\nWTE1\0\xff END\n", 17};
    REQUIRE(data.size() == 17);
    put(dir.file("cable.txt"), data);
    auto r = read_file(dir.file("cable.txt"));
    REQUIRE(r);
    CHECK(r.value() == data);
}

TEST_CASE("read_file of an empty file is an empty string, even with a limit of 0") {
    scratch_dir dir;
    put(dir.file("empty"), "");
    auto r = read_file(dir.file("empty"));
    REQUIRE(r);
    CHECK(r.value().empty());
    auto zero = read_file(dir.file("empty"), 0);
    REQUIRE(zero);
    CHECK(zero.value().empty());
}

TEST_CASE("read_file of a missing file: cannot open, with the path and the system's reason") {
    scratch_dir dir;
    const auto path = dir.file("no-such-file.toml");
    auto r = read_file(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == file_error_kind::cannot_open);
    CHECK(r.error().path == path);
    CHECK(r.error().message() == path + ": cannot open: " + std::strerror(ENOENT));
}

TEST_CASE("read_file of a directory: cannot open, it is a directory") {
    scratch_dir dir;
    const auto path = dir.file("sub");
    REQUIRE(fs::create_directory(path));
    auto r = read_file(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == file_error_kind::cannot_open);
    CHECK(r.error().path == path);
    CHECK_THAT(r.error().message(), StartsWith(path + ": cannot open: "));
}

TEST_CASE("read_file: a file of exactly the limit is read, one byte more is too large") {
    scratch_dir dir;
    SECTION("a small limit") {
        put(dir.file("ten"), "0123456789");
        put(dir.file("eleven"), "0123456789A");
        auto at = read_file(dir.file("ten"), 10);
        REQUIRE(at);
        CHECK(at.value() == "0123456789");
        auto over = read_file(dir.file("eleven"), 10);
        REQUIRE_FALSE(over);
        CHECK(over.error().kind == file_error_kind::too_large);
        CHECK(over.error().path == dir.file("eleven"));
        CHECK(over.error().message() == dir.file("eleven") + ": larger than 10 bytes");
    }
    SECTION("a limit larger than one read") {
        const std::size_t limit = 200'000;
        put(dir.file("at"), std::string(limit, 'R'));
        put(dir.file("over"), std::string(limit + 1, 'R'));
        auto at = read_file(dir.file("at"), limit);
        REQUIRE(at);
        CHECK(at.value().size() == limit);
        auto over = read_file(dir.file("over"), limit);
        REQUIRE_FALSE(over);
        CHECK(over.error().kind == file_error_kind::too_large);
        CHECK(over.error().message() == dir.file("over") + ": larger than 200000 bytes");
    }
}

TEST_CASE("read_stream reads the rest of a stream and names it in its errors") {
    std::istringstream in{"HAKTO 12\nBT\n"};
    in.get();  // what was read before is not read again
    auto r = read_stream(in, "<stdin>");
    REQUIRE(r);
    CHECK(r.value() == "AKTO 12\nBT\n");

    std::istringstream big{"0123456789A"};
    auto over = read_stream(big, "<stdin>", 10);
    REQUIRE_FALSE(over);
    CHECK(over.error().kind == file_error_kind::too_large);
    CHECK(over.error().path == "<stdin>");
    CHECK(over.error().message() == "<stdin>: larger than 10 bytes");

    std::istringstream exact{"0123456789"};
    auto at = read_stream(exact, "<stdin>", 10);
    REQUIRE(at);
    CHECK(at.value() == "0123456789");
}

TEST_CASE("read_stream: a stream that fails while reading is a read error") {
    failing_buf buf{"partial"};
    std::istream in{&buf};
    auto r = read_stream(in, "<pipe>");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == file_error_kind::read_failed);
    CHECK(r.error().path == "<pipe>");
    CHECK_THAT(r.error().message(), StartsWith("<pipe>: read error: "));
}

TEST_CASE("file_error::message words each kind as the header says") {
    CHECK(file_error{file_error_kind::cannot_open, "a.toml", "Permission denied"}.message() ==
          "a.toml: cannot open: Permission denied");
    CHECK(file_error{file_error_kind::too_large, "a.wav", "64"}.message() ==
          "a.wav: larger than 64 bytes");
    CHECK(file_error{file_error_kind::read_failed, "<stdin>", "Input/output error"}.message() ==
          "<stdin>: read error: Input/output error");
    CHECK(file_error{file_error_kind::write_failed, "out.json", "No space left on device"}
              .message() == "out.json: write error: No space left on device");
}

TEST_CASE("write_file_atomically writes a new file and leaves nothing else behind") {
    scratch_dir dir;
    const auto path = dir.file("delivered.json");
    auto w = write_file_atomically(path, std::string_view{"{\"ok\":\0true}\n", 13});
    REQUIRE(w);
    CHECK(contents(path) == std::string{"{\"ok\":\0true}\n", 13});
    CHECK(dir.names() == std::vector<std::string>{"delivered.json"});
}

TEST_CASE("write_file_atomically replaces the content of an existing file") {
    scratch_dir dir;
    const auto path = dir.file("spool.reason");
    put(path, "an old reason that is longer than the new one\n");
    REQUIRE(write_file_atomically(path, "new\n"));
    CHECK(contents(path) == "new\n");
    REQUIRE(write_file_atomically(path, ""));
    CHECK(contents(path).empty());
    CHECK(dir.names() == std::vector<std::string>{"spool.reason"});
}

TEST_CASE("write_file_atomically into a missing directory fails and writes nothing") {
    scratch_dir dir;
    const auto path = dir.file("missing/out.json");
    auto w = write_file_atomically(path, "{}\n");
    REQUIRE_FALSE(w);
    CHECK(w.error().kind == file_error_kind::cannot_open);
    // The error names the file asked for, not a temporary name beside it.
    CHECK(w.error().path == path);
    CHECK(w.error().message() == path + ": cannot open: " + std::strerror(ENOENT));
    CHECK_FALSE(fs::exists(dir.path() / "missing"));
    CHECK(dir.names().empty());
}

TEST_CASE("write_file_atomically over a directory fails and leaves the directory as it was") {
    scratch_dir dir;
    const auto path = dir.file("sub");
    REQUIRE(fs::create_directory(path));
    put(dir.file("sub/inside"), "kept");
    auto w = write_file_atomically(path, "replacement");
    REQUIRE_FALSE(w);
    CHECK(w.error().kind == file_error_kind::write_failed);
    CHECK(w.error().path == path);
    CHECK_THAT(w.error().message(), StartsWith(path + ": write error: "));
    CHECK_THAT(w.error().message(), !Contains(".tmp"));
    CHECK(fs::is_directory(path));
    CHECK(contents(dir.file("sub/inside")) == "kept");
    CHECK(dir.names() == std::vector<std::string>{"sub"});
}
