// live/fetch_client.cpp: see detail/fetch_client.hpp.
#include "live/detail/fetch_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

namespace roomsim::live::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto kFetchTimeout = std::chrono::seconds(10);

struct Url {
  std::string host;
  std::string port = "80";
  std::string prefix;  // path prefix without trailing slash
};

bool parse_http_url(const std::string& url, Url& out) {
  if (url.rfind("http://", 0) != 0) return false;
  std::string rest = url.substr(7);
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos) {
    out.port = authority.substr(colon + 1);
    authority.resize(colon);
  }
  out.host = authority;
  return !out.host.empty();
}

// The built-in demo services, so `roomsim serve` works with no config:
// "feed" answers a JSON object of live-looking metrics; "sync" and "metrics" accept anything.
rooms::FetchResponse builtin(const std::string& service, const rooms::FetchRequest& request) {
  if (service == "feed") {
    static std::mt19937_64 rng{std::random_device{}()};
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    const double t = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::uniform_real_distribution<double> noise(-0.05, 0.05);
    nlohmann::json data = {
        {"cpu", std::round((0.5 + 0.3 * std::sin(t / 30.0) + noise(rng)) * 1000) / 1000},
        {"memory", std::round((0.6 + 0.1 * std::sin(t / 120.0) + noise(rng)) * 1000) / 1000},
        {"requests_per_s", static_cast<int64_t>(800 + 200 * std::sin(t / 10.0) + 100 * noise(rng) * 10)},
        {"errors_per_min", static_cast<int64_t>(std::max(0.0, 3 + 3 * std::sin(t / 45.0) + 20 * noise(rng)))},
    };
    return rooms::FetchResponse{200, data.dump(), ""};
  }
  (void)request;
  return rooms::FetchResponse{200, R"({"ok":true})", ""};
}

class HttpCall : public std::enable_shared_from_this<HttpCall> {
 public:
  HttpCall(asio::io_context& ioc, Url url, const rooms::FetchRequest& request,
           std::function<void(rooms::FetchResponse)> done)
      : resolver_(ioc), stream_(ioc), url_(std::move(url)), done_(std::move(done)) {
    req_.method_string(request.method);
    req_.target(url_.prefix + (request.path.empty() ? "/" : request.path));
    req_.version(11);
    req_.set(http::field::host, url_.host);
    req_.set(http::field::user_agent, "roomsim");
    req_.set(http::field::content_type, "application/json");
    req_.body() = request.body;
    req_.prepare_payload();
  }

  void run() {
    stream_.expires_after(kFetchTimeout);
    resolver_.async_resolve(url_.host, url_.port, [self = shared_from_this()](const error_code& ec, tcp::resolver::results_type r) {
      if (ec) return self->fail("resolve " + self->url_.host + ": " + ec.message());
      self->stream_.async_connect(r, [self](const error_code& cec, const tcp::endpoint&) {
        if (cec) return self->fail("connect: " + cec.message());
        http::async_write(self->stream_, self->req_, [self](const error_code& wec, size_t) {
          if (wec) return self->fail("write: " + wec.message());
          http::async_read(self->stream_, self->buffer_, self->res_, [self](const error_code& rec, size_t) {
            if (rec) return self->fail("read: " + rec.message());
            self->finish(rooms::FetchResponse{static_cast<int>(self->res_.result_int()), self->res_.body(), ""});
          });
        });
      });
    });
  }

 private:
  void fail(const std::string& why) { finish(rooms::FetchResponse{0, "", why}); }
  void finish(rooms::FetchResponse r) {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(r));
    }
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  Url url_;
  std::function<void(rooms::FetchResponse)> done_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  beast::flat_buffer buffer_;
};

}  // namespace

void FetchClient::start(const std::string& service, const rooms::FetchRequest& request,
                        std::function<void(rooms::FetchResponse)> done) {
  auto it = server_.options.services.find(service);
  if (it == server_.options.services.end()) {
    if (service == "feed" || service == "sync" || service == "metrics") {
      asio::post(server_.ioc, [service, request, done = std::move(done)] { done(builtin(service, request)); });
    } else {
      asio::post(server_.ioc, [service, done = std::move(done)] {
        done(rooms::FetchResponse{0, "", "unknown service \"" + service + "\" (configure it under \"services\" in --config)"});
      });
    }
    return;
  }
  Url url;
  if (!parse_http_url(it->second, url)) {
    asio::post(server_.ioc, [url = it->second, done = std::move(done)] {
      done(rooms::FetchResponse{0, "", "service URL \"" + url + "\" is not http://host[:port][/prefix]"});
    });
    return;
  }
  std::make_shared<HttpCall>(server_.ioc, std::move(url), request, std::move(done))->run();
}

}  // namespace roomsim::live::detail
