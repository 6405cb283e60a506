#pragma once
// Printing a souvenir through CUPS: the PDF goes to `lp [-d PRINTER] -t TITLE FILE`, which hands
// it to the print spooler and exits. lp's answer ("request id is kiosk-7 (1 file(s))") or its
// exit status and error are what the operator is told.
#include <chrono>
#include <optional>
#include <string>

#include "protocol/text/expected.hpp"

namespace hakto::terminals::souvenir {

struct print_request {
    std::string pdf;                     ///< the file's bytes
    std::optional<std::string> printer;  ///< a CUPS queue (lp -d); none: the default queue
    std::string title = "hakto souvenir";
    std::string lp = "lp";  ///< the program, found on PATH unless it names a path
    /// lp only queues the job; past this it is stopped and the print reported as failed.
    std::chrono::seconds timeout{30};
};

struct print_error {
    std::string message;  ///< "lp not found …", "lp exited with status 1: lp: …"
};

/// Writes the PDF to a private temporary file, runs lp on it and waits for it; the file is
/// removed afterwards. The result is lp's standard output, trimmed (its request id).
expected<std::string, print_error> print_pdf(const print_request& request);

}  // namespace hakto::terminals::souvenir
