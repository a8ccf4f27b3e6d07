// Precompiled header of redifine_core: the LibTorch headers most core sources use.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn.h>
