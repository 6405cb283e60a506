#pragma once
// `hakto frus fetch`: the FRUS 1969–1976 vol. E-13 volume downloaded over HTTPS, checked
// (terminals/frus/frus_volume.hpp) and stored atomically under the data directory, so that
// replay, explain and exhibit find it without --frus. See docs/frus-import.md.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"
#include "terminals/fetch/https_client.hpp"
#include "terminals/frus/frus_volume.hpp"

namespace hakto::terminals {

/// The volume file of the Office of the Historian's HistoryAtState/frus repository.
inline constexpr std::string_view frus_volume_default_url =
    "https://raw.githubusercontent.com/HistoryAtState/frus/master/volumes/frus1969-76ve13.xml";

/// Writes `data` to DIR/NAME whole or not at all, creating DIR (0755) if it is missing: a new
/// temporary file in DIR (O_EXCL, 0644), written, fsynced, read back and compared, renamed over
/// NAME, then DIR fsynced so the rename itself survives a crash. On any failure the temporary
/// file is removed and NAME is left as it was. Returns the path of NAME.
expected<std::string, fetch_error> store_file_atomically(const std::string& dir,
                                                         std::string_view name,
                                                         std::string_view data);

struct frus_fetch_options {
    std::string url{frus_volume_default_url};
    std::string data_dir;  ///< where to store it (frus_data_dirs().front() in the command)
    https_options http;    ///< CA file, timeout, bounds; its progress is told each step too
};

struct frus_fetch_result {
    std::string path;  ///< DATA_DIR/frus1969-76ve13.xml
    std::string url;   ///< where the body came from, after redirects
    std::size_t bytes = 0;
    frus_volume_summary volume;
};

/// Downloads the volume, checks it (a body that is not the E-13 volume with d140, d141 and d143
/// as HAKTO messages is an error of kind `check`, naming the URL) and stores it. Nothing is
/// written unless the whole body arrived and passed the check.
expected<frus_fetch_result, fetch_error> fetch_frus_volume(const frus_fetch_options& options);

}  // namespace hakto::terminals
