#pragma once
// The FRUS 1969–1976 vol. E-13 volume file on this machine: where hakto keeps it (the data
// directory), where readers look for it, and whether a text is that volume with the three
// backchannel documents the June 1972 scenario needs (d140 HAKTO 7, d141 HAKTO 9, d143 HAKTO 12).
// No sockets: `hakto frus fetch` (terminals/fetch) downloads it; this part only looks and checks.
// See docs/frus-import.md, "The volume on this machine".
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals {

/// The volume's id in its teiHeader (<idno type="frus">) and on history.state.gov.
inline constexpr std::string_view frus_volume_id = "frus1969-76ve13";
/// The file name under a data directory, as the HistoryAtState repository names it.
inline constexpr std::string_view frus_volume_file = "frus1969-76ve13.xml";
/// The documents the volume must hold as backchannel messages: HAKTO 7, 9 and 12 (June 1972).
inline constexpr std::string_view frus_volume_required[] = {"d140", "d141", "d143"};
/// Where the service keeps its data (the hakto user's home in docs/operators-guide.md).
inline constexpr std::string_view frus_service_data_dir = "/var/lib/hakto";

/// One place that may hold the volume, and why it is on the list.
struct frus_data_dir {
    std::string path;
    std::string source;  ///< "--data-dir", "$HAKTO_DATA_DIR", "$XDG_DATA_HOME", "$HOME", "service"
};

/// Reads an environment variable (std::getenv by default; tests give their own).
using environment_lookup = std::function<const char*(const char*)>;

/// The data directories, first the one `hakto frus fetch` writes to:
///  - `explicit_dir` (--data-dir) when given: that one alone;
///  - else $HAKTO_DATA_DIR when set and not empty: that one alone (the service's setting, and
///    how the tests keep a developer's own volume out of their runs);
///  - else $XDG_DATA_HOME/hakto (when absolute, as the XDG Base Directory spec requires), else
///    $HOME/.local/share/hakto; then /var/lib/hakto, the service's, for readers (and the one
///    written to when neither is set, as for a system user without a home).
/// Never empty.
std::vector<frus_data_dir> frus_data_dirs(const std::optional<std::string>& explicit_dir = {},
                                          const environment_lookup& env = {});

/// The first `<dir>/frus1969-76ve13.xml` of frus_data_dirs() that is a regular file, or
/// nothing. It is not read here: a bad file is reported by whoever imports it.
std::optional<std::string> find_frus_volume(const std::optional<std::string>& explicit_dir = {},
                                            const environment_lookup& env = {});

/// One of frus_volume_required as the importer read it.
struct frus_volume_document {
    std::string id;      ///< "d140"
    std::string series;  ///< "HAKTO 7"
    std::string title;   ///< the <head>, whitespace collapsed
};

/// What check_frus_volume found in a good volume.
struct frus_volume_summary {
    std::string volume_id;        ///< "frus1969-76ve13"
    std::size_t documents = 0;    ///< every <div type="document">
    std::size_t backchannel = 0;  ///< those the importer recognises as backchannel messages
    std::vector<frus_volume_document> required;  ///< d140, d141, d143, in that order
};

/// Whether `xml` is the E-13 volume hakto needs; `name` places the errors ("NAME:LINE:COL:
/// reason" when the place is known). Errors: not well-formed XML (its line and column), a root
/// that is not <TEI> in the TEI namespace, no teiHeader volume id or another volume's, one of
/// d140, d141, d143 missing or not recognised by the importer as a HAKTO backchannel message.
expected<frus_volume_summary, frus_error> check_frus_volume(std::string_view xml,
                                                            std::string_view name);

}  // namespace hakto::terminals
