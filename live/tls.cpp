// live/tls.cpp: see detail/tls.hpp.
#include "live/detail/tls.hpp"

namespace roomsim::live::detail {

std::unique_ptr<asio::ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file,
                                                      std::string& error) {
  if (cert_file.empty() || key_file.empty()) {
    error = "--tls-cert and --tls-key must be given together (PEM certificate chain and private key)";
    return nullptr;
  }
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    error = "--tls-cert " + cert_file + ": cannot load a PEM certificate chain: " + ec.message();
    return nullptr;
  }
  context->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) {
    // OpenSSL also checks here that the key belongs to the certificate ("key values mismatch").
    error = "--tls-key " + key_file + ": cannot load a PEM private key matching --tls-cert: " + ec.message();
    return nullptr;
  }
  return context;
}

}  // namespace roomsim::live::detail
