#pragma once
// Documents bundled with hakto: the HAKTO 12 cable and its covering memorandum as published
// (FRUS 1969–1976 vol. E-13 doc 143), compiled into the program.
#include <string_view>

namespace hakto::terminals {

/// The bundled text of a FRUS E-13 document id ("d143"); empty when it is not bundled. A
/// document the build bundles but whose text is missing is a broken build: this throws
/// std::runtime_error, which stops the program in main. The tests read and parse it.
std::string_view bundled_document(std::string_view frus_id);

}  // namespace hakto::terminals
