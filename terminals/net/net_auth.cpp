#include "terminals/net/net_auth.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sim/io/file_reader.hpp"

namespace hakto::terminals {

expected<shared_key, auth_error> shared_key::from_bytes(std::string_view bytes) {
    while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.remove_suffix(1);
    if (bytes.size() < 16)
        return auth_error{
            fmt::format("a shared key of {} bytes: at least 16 are needed", bytes.size())};
    if (bytes.size() > 4096) return auth_error{"a shared key of more than 4096 bytes"};
    shared_key k;
    k.key_.assign(bytes.begin(), bytes.end());
    return k;
}

expected<void, auth_error> shared_key::check_mode(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto st = fs::status(path, ec);  // the file a link points to: what is read
    if (ec) return outcome::success();     // (read_file names what is wrong with it)
    const auto mode = static_cast<unsigned>(st.permissions()) & 07777u;
    const auto others = fs::perms::group_all | fs::perms::others_all;
    if ((st.permissions() & others) == fs::perms::none) return outcome::success();
    auto any = [&](fs::perms a, fs::perms b) {
        return (st.permissions() & (a | b)) != fs::perms::none;
    };
    const char* what = any(fs::perms::group_read, fs::perms::others_read)     ? "read"
                       : any(fs::perms::group_write, fs::perms::others_write) ? "write"
                                                                              : "execute";
    return auth_error{fmt::format("key file {}: mode {:04o} lets others {} it; chmod 600 {}", path,
                                  mode, what, path)};
}

expected<shared_key, auth_error> shared_key::from_file(const std::string& path) {
    if (auto m = check_mode(path); !m) return m.error();
    // A key is at most 4096 bytes (from_bytes says so); a little more is read to tell.
    auto text = sim::read_file(path, 64 * 1024);
    if (!text) return auth_error{fmt::format("--key-file {}", text.error().message())};
    auto k = from_bytes(text.value());
    if (!k) return auth_error{fmt::format("--key-file {}: {}", path, k.error().message)};
    return k;
}

expected<nonce, auth_error> fresh_nonce() {
    nonce n{};
    if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1)
        return auth_error{"the random generator failed"};
    return n;
}

mac auth_answer(const shared_key& key, auth_side side, const nonce& server_nonce,
                const nonce& client_nonce, std::string_view client_id, std::string_view server_id) {
    std::vector<std::uint8_t> msg;
    std::string_view label =
        side == auth_side::client ? "hakto-auth-1 client" : "hakto-auth-1 server";
    msg.insert(msg.end(), label.begin(), label.end());
    msg.insert(msg.end(), server_nonce.begin(), server_nonce.end());
    msg.insert(msg.end(), client_nonce.begin(), client_nonce.end());
    // Ids with their lengths, so that no two (client, server) pairs give the same bytes.
    msg.push_back(static_cast<std::uint8_t>(client_id.size()));
    msg.insert(msg.end(), client_id.begin(), client_id.end());
    msg.push_back(static_cast<std::uint8_t>(server_id.size()));
    msg.insert(msg.end(), server_id.begin(), server_id.end());
    mac out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.bytes().data(), static_cast<int>(key.bytes().size()), msg.data(),
         msg.size(), out.data(), &len);
    return out;
}

bool same_mac(const mac& a, const mac& b) noexcept {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hakto::terminals
