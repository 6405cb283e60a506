#pragma once
// A protocol header that reaches into the simulation: the layer check must refuse it.
#include "sim/engine.hpp"
