#pragma once
// Text templates with {placeholders}, the one kind hakto has (the memo rules' opening lines,
// the explanation table's values): checked when the template is loaded, filled when it is used.
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"

namespace hakto::protocol {

using template_values = std::map<std::string, std::string, std::less<>>;

/// What is wrong with a template: "a '{' without its '}' at character 12", "a '}' without its
/// '{' at character 3", "unknown placeholder {x} (known: date, place)".
struct template_error {
    std::string message;
};

/// The placeholders `text` uses, in order, each one of `known`; or what is wrong with it.
expected<std::vector<std::string>, template_error> check_template(
    std::string_view text, std::span<const std::string_view> known);

/// `text` with each {name} replaced by its value; a name that has no value is written
/// "(unknown)", never left as it was.
std::string fill_template(std::string_view text, const template_values& values);

}  // namespace hakto::protocol
