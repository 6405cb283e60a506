#include "protocol/diagnostic.hpp"
