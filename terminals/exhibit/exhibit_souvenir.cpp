#include "terminals/exhibit/exhibit_souvenir.hpp"

#include <utility>

#include <boost/asio/post.hpp>

namespace hakto::terminals::exhibit {

souvenir_desk::souvenir_desk(boost::asio::io_context& io) : io_(io) {}

souvenir_desk::~souvenir_desk() {
    pool_.stop();
    pool_.join();
}

bool souvenir_desk::take_job() {
    auto n = jobs_.load();
    do {
        if (n >= max_jobs) return false;
    } while (!jobs_.compare_exchange_weak(n, n + 1));
    return true;
}

bool souvenir_desk::render(souvenir::souvenir_text s, souvenir::format f, rendered done) {
    if (!take_job()) return false;
    boost::asio::post(pool_, [this, s = std::move(s), f, done = std::move(done)]() mutable {
        auto bytes = souvenir::render(s, f);
        boost::asio::post(io_, [done = std::move(done), bytes = std::move(bytes)]() mutable {
            done(std::move(bytes));
        });
        --jobs_;
    });
    return true;
}

bool souvenir_desk::print(souvenir::souvenir_text s, souvenir::print_request job, printed done) {
    if (!take_job()) return false;
    boost::asio::post(
        pool_, [this, s = std::move(s), job = std::move(job), done = std::move(done)]() mutable {
            expected<std::string, souvenir::print_error> answer = std::string{};
            if (auto pdf = souvenir::render(s, souvenir::format::pdf); !pdf) {
                answer = souvenir::print_error{pdf.error().message};
            } else {
                job.pdf = std::move(pdf.value());
                answer = souvenir::print_pdf(job);
            }
            boost::asio::post(io_, [done = std::move(done), answer = std::move(answer)]() mutable {
                done(std::move(answer));
            });
            --jobs_;
        });
    return true;
}

}  // namespace hakto::terminals::exhibit
