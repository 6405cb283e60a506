#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "support/cli_run.hpp"
#include "support/files.hpp"

namespace fs = std::filesystem;
using hakto::test::run;

namespace {

/// A folder of its own for a test's files, removed afterwards.
struct scratch {
    fs::path dir;
    explicit scratch(const std::string& name)
        : dir(fs::temp_directory_path() /
              ("hakto-audio-" + name + "-" + std::to_string(getpid()))) {
        fs::create_directories(dir);
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string operator()(const std::string& file) const { return (dir / file).string(); }
};

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary);
    f << bytes;
}

}  // namespace

TEST_CASE("hakto audio encode then decode gives the text back") {
    scratch s("roundtrip");
    const std::string text =
        "WE DE WTE1Ø\nO 211615Z\nTHREE AND A HALF HOUR SESSION WITH CHOU 1234 567.\n";
    for (const char* profile : {"60wpm", "66wpm", "67wpm", "75wpm", "100wpm"}) {
        INFO(profile);
        auto e = run(
            {"audio", "encode", "-o", s("a.wav"), "--rate", "8000", "--profile", profile, "--usos"},
            text);
        REQUIRE(e.code == 0);
        CHECK(e.err.find("characters") != std::string::npos);
        auto d = run({"audio", "decode", s("a.wav"), "--profile", profile, "--usos"});
        REQUIRE(d.code == 0);
        CHECK(d.out ==
              "WE DE WTE10\nO 211615Z\nTHREE AND A HALF HOUR SESSION WITH CHOU 1234 567.\n");
        CHECK(d.err.find("SNR") != std::string::npos);
        CHECK(d.err.find("dBFS") != std::string::npos);
    }
}

TEST_CASE(
    "hakto audio: 850 Hz shift, other stops, codes in and out, a cable, per-character report") {
    scratch s("forms");
    auto e =
        run({"audio", "encode", "--as", "codes", "-o", s("c.wav"), "--shift", "850", "--stop", "2"},
            "1F 1F 03 19 1B 17 13 04 00 1F");
    REQUIRE(e.code == 0);
    auto wrong_shift = run({"audio", "decode", s("c.wav"), "--stop", "2", "-o", "hex", "-q"});
    CHECK(wrong_shift.out != "1F 1F 03 19 1B 17 13 04 00 1F\n");  // 2975 Hz is not 2295 Hz
    auto d =
        run({"audio", "decode", s("c.wav"), "--shift", "850", "--stop", "2", "-o", "hex", "-q"});
    CHECK(d.code == 0);
    CHECK(d.out == "1F 1F 03 19 1B 17 13 04 00 1F\n");
    CHECK(d.err.empty());
    auto c = run({"audio", "decode", s("c.wav"), "--shift", "850", "-o", "chars", "-q"});
    CHECK(c.out.find(" 03 A ") != std::string::npos);
    CHECK(c.out.find(" 1B FIGS ") != std::string::npos);
    CHECK(c.out.find(" 13 2 ") != std::string::npos);

    auto cable = run({"audio", "encode", "--as", "cable", "--acp127",
                      hakto::test::source_path("terminals/frus/data/hakto12.txt"), "-o",
                      s("cable.wav"), "--rate", "8000", "--lenient"});
    REQUIRE(cable.code == 0);
    auto back = run({"audio", "decode", s("cable.wav"), "-q"});
    CHECK(back.out.find("VZCZC") != std::string::npos);
    CHECK(back.out.find("THREE AND A HALF HOUR SESSION") != std::string::npos);
    CHECK(back.out.find("NNNN") != std::string::npos);
}

TEST_CASE("hakto audio encode --snr adds seeded noise the decoder still reads") {
    scratch s("noise");
    const std::string text = "HAKTO 12 FROM HENRY A KISSINGER TO GENERAL HAIG\n";
    auto a =
        run({"audio", "encode", "-o", s("n1.wav"), "--rate", "8000", "--snr", "-3", "--seed", "4"},
            text);
    auto b =
        run({"audio", "encode", "-o", s("n2.wav"), "--rate", "8000", "--snr", "-3", "--seed", "4"},
            text);
    REQUIRE(a.code == 0);
    REQUIRE(b.code == 0);
    CHECK(hakto::test::read_file(s("n1.wav")) == hakto::test::read_file(s("n2.wav")));
    auto d = run({"audio", "decode", s("n1.wav")});
    CHECK(d.out == text);
    CHECK(d.err.find("SNR -") != std::string::npos);
}

TEST_CASE("hakto audio decode: an empty, truncated, missing or non-WAV file is a clear error") {
    scratch s("bad");
    write_bytes(s("empty.wav"), "");
    auto empty = run({"audio", "decode", s("empty.wav")});
    CHECK(empty.code == 1);
    CHECK(empty.err.find(s("empty.wav") + ": empty file") != std::string::npos);

    write_bytes(s("text.wav"), "THIS IS NOT A SOUND FILE AT ALL, ONLY TEXT\n");
    auto text = run({"audio", "decode", s("text.wav")});
    CHECK(text.code == 1);
    CHECK(text.err.find(s("text.wav") + ": not a WAV") != std::string::npos);

    REQUIRE(
        run({"audio", "encode", "--text", "RYRYRY", "-o", s("good.wav"), "--rate", "8000"}).code ==
        0);
    auto whole = hakto::test::read_file(s("good.wav"));
    write_bytes(s("cut.wav"), whole.substr(0, whole.size() / 2));
    auto cut = run({"audio", "decode", s("cut.wav")});
    CHECK(cut.code == 1);
    CHECK(cut.err.find(s("cut.wav") + ": truncated WAV") != std::string::npos);
    write_bytes(s("header.wav"), whole.substr(0, 30));
    auto header = run({"audio", "decode", s("header.wav")});
    CHECK(header.code == 1);
    CHECK(header.err.find(s("header.wav")) != std::string::npos);

    auto missing = run({"audio", "decode", s("nowhere.wav")});
    CHECK(missing.code == 1);
    CHECK(missing.err.find("no such file") != std::string::npos);

    CHECK(run({"audio", "encode", "--text", "X"}).code == 2);  // no --output
    CHECK(run({"audio", "encode", "--text", "X", "-o", s("x.wav"), "--shift", "425"}).code == 2);
    CHECK(run({"audio", "encode", "--text", "X", "-o", s("x.wav"), "--rate", "4000"}).code == 2);
    CHECK(run({"audio", "decode"}).code == 2);
    CHECK(run({"audio", "play"}).code == 2);
    // Nothing half-written: a failed encode leaves no file behind.
    CHECK(run({"audio", "encode", "--text", "50%", "-o", s("bad.wav")}).code == 1);
    CHECK_FALSE(fs::exists(s("bad.wav")));
    CHECK(run({"audio", "encode", "--text", "X", "-o", s("no/such/dir/x.wav")}).code == 1);
    for (const auto& entry : fs::directory_iterator(s.dir))
        CHECK(entry.path().extension() != ".tmp");
}

TEST_CASE("hakto replay --wav writes the sound of the circuit into the White House") {
    scratch s("replay");
    auto r = run({"replay", "--speed", "max", "--no-crypto", "--wav", s("replay.wav"), "--wav-rate",
                  "8000", "--transcript", s("replay.json")});
    REQUIRE(r.code == 0);
    auto d = run({"audio", "decode", s("replay.wav"), "-q"});
    REQUIRE(d.code == 0);
    CHECK(d.out.find("WE DE WTE10") != std::string::npos);
    CHECK(d.out.find("THREE AND A HALF HOUR SESSION WITH CHOU") != std::string::npos);
    // The same codes as the transcript's line events into the destination.
    auto t = run({"audio", "encode", "--as", "transcript", s("replay.json"), "-o", s("t.wav"),
                  "--rate", "8000"});
    REQUIRE(t.code == 0);
    auto from_wav = run({"audio", "decode", s("replay.wav"), "-o", "hex", "-q"});
    auto from_transcript = run({"audio", "decode", s("t.wav"), "-o", "hex", "-q"});
    CHECK(from_wav.out == from_transcript.out);
    CHECK(from_wav.out.size() > 3000);

    // With on-line encryption the line carries ciphertext.
    auto enc = run({"replay", "--speed", "max", "--wav", s("enc.wav"), "--wav-rate", "8000"});
    REQUIRE(enc.code == 0);
    auto cipher = run({"audio", "decode", s("enc.wav"), "-q"});
    CHECK(cipher.out.find("THREE AND A HALF HOUR") == std::string::npos);
    CHECK(run({"replay", "--speed", "max", "--wav", s("x.wav"), "--wav-rate", "100"}).code == 2);
}
