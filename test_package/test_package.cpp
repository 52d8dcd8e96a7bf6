// Links the packaged library and uses it without the network.
#include <stytch/stytch.hpp>

#include <iostream>

int main() {
  stytch::ClientOptions options;
  options.project_id = "project-test-00000000-0000-4000-8000-000000000000";
  options.secret = "secret-test-package";
  stytch::StytchClient client(options);

  stytch::otps::sms::SendParams params;
  params.phone_number = "not-a-number";  // refused before any network I/O
  auto result = client.otps.sms.send(params);

  std::cout << "stytch " << STYTCH_VERSION_STRING << ", " << client.user_agent() << ", " << client.base_url() << ": "
            << result.error().message() << "\n";
  return !result && result.error().kind == stytch::ErrorKind::invalid_argument ? 0 : 1;
}
