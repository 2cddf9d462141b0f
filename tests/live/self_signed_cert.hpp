// tests/live/self_signed_cert.hpp: a throwaway certificate for TLS tests,
// made with OpenSSL's C API (no `openssl` CLI needed).
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/live/live_fixture.hpp"

namespace roomsim::live::testing {

struct CertFiles {
  std::string cert;
  std::string key;
};

// A P-256 key and a one-day self-signed certificate for CN=127.0.0.1, as PEM files in a fresh directory.
inline CertFiles make_self_signed(const std::string& name) {
  const std::string dir = fresh_dir(name);
  std::filesystem::create_directories(dir);
  CertFiles files{dir + "/cert.pem", dir + "/key.pem"};
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                             0);
  X509_set_issuer_name(cert, subject);
  const bool signed_ok = X509_sign(cert, key, EVP_sha256()) > 0;
  FILE* cf = std::fopen(files.cert.c_str(), "w");
  FILE* kf = std::fopen(files.key.c_str(), "w");
  const bool written = cf != nullptr && kf != nullptr && PEM_write_X509(cf, cert) == 1 &&
                       PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (cf != nullptr) std::fclose(cf);
  if (kf != nullptr) std::fclose(kf);
  X509_free(cert);
  EVP_PKEY_free(key);
  EXPECT_TRUE(key != nullptr && signed_ok && written) << "could not make a self-signed certificate";
  return files;
}

}  // namespace roomsim::live::testing
