#include "terminals/exhibit/exhibit_server.hpp"

#include "terminals/exhibit/exhibit_hall.hpp"
#include "terminals/exhibit/exhibit_listener.hpp"
#include "terminals/exhibit/exhibit_show.hpp"
#include "terminals/exhibit/exhibit_souvenir.hpp"

namespace hakto::terminals {

/// The parts of the exhibit, wired: the hall the viewers share, the show they watch, the
/// listener that lets them in. The show is destroyed before the hall it sends to.
class exhibit_server::impl {
  public:
    std::shared_ptr<exhibit::hall> hall;
    std::shared_ptr<exhibit::show> show;
    std::shared_ptr<exhibit::listener> listener;

    void stop() {
        listener->stop();
        show->stop();
        hall->close_all();
    }
};

expected<std::unique_ptr<exhibit_server>, exhibit_error> exhibit_server::create(
    boost::asio::io_context& io, sim::timer_service& timers, exhibit_options options) {
    auto p = std::make_shared<impl>();
    p->hall = std::make_shared<exhibit::hall>(options);
    auto host = options.host;
    auto port = options.port;
    auto printer = options.souvenir_printer;
    auto lp = options.souvenir_lp;
    auto s = exhibit::show::create(std::move(options), timers, *p->hall);
    if (!s) return s.error();
    p->show = std::move(s.value());
    p->hall->attach(p->show);
    // Souvenirs are drawn and printed off this thread (exhibit_souvenir.hpp).
    auto desk = std::make_shared<exhibit::souvenir_desk>(io);
    p->hall->attach_souvenirs(desk);
    p->show->on_print_souvenir([w = std::weak_ptr<exhibit::souvenir_desk>(desk), printer, lp](
                                   souvenir::souvenir_text text, auto done) {
        auto d = w.lock();
        if (!d) return false;
        souvenir::print_request job;
        job.printer = printer;
        job.lp = lp;
        return d->print(std::move(text), std::move(job), [done](auto answer) {
            if (answer)
                done(true, answer.value().empty() ? std::string{"queued"} : answer.value());
            else
                done(false, answer.error().message);
        });
    });
    auto l = exhibit::listener::open(io, host, port, p->hall);
    if (!l) return l.error();
    p->listener = std::move(l.value());
    return std::make_unique<exhibit_server>(std::move(p));
}

exhibit_server::exhibit_server(std::shared_ptr<impl> p) : impl_(std::move(p)) {}

exhibit_server::~exhibit_server() {
    impl_->stop();
}

void exhibit_server::start() {
    impl_->listener->start();
    impl_->show->start();
}

void exhibit_server::stop() {
    impl_->stop();
}

std::uint16_t exhibit_server::port() const {
    return impl_->listener->port();
}

exhibit_stats exhibit_server::stats() const {
    exhibit_stats s;
    s.viewers = impl_->hall->viewers();
    s.broadcasts = impl_->show->broadcasts();
    s.runs = impl_->show->runs();
    s.dropped_viewers = impl_->hall->dropped();
    s.refused_messages = impl_->hall->refused();
    s.paused = impl_->show->paused();
    return s;
}

expected<std::string, exhibit_error> exhibit_server::typed_reply(std::string_view text) {
    auto r = impl_->show->typed_reply(text);
    if (!r) return exhibit_error{r.error().text};
    return r.value();
}

void exhibit_server::on_broadcast(broadcast_hook f) {
    impl_->show->on_broadcast(std::move(f));
}

}  // namespace hakto::terminals
