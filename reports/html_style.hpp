// reports/html_style.hpp: the stylesheet inlined into index.html. Laid out
// for a laptop screen (readable at 1366x768 and up): one centred column,
// tables that wrap long explanations, pictures that scroll inside their box
// instead of stretching the page. No external fonts or images.
#pragma once

namespace roomsim::reports {

extern const char* const kHtmlStyle;

}  // namespace roomsim::reports
