// Where the bundled samples and stacks are, whether ConvScope runs from its
// build tree, an install, or the source checkout.
#pragma once

#include <QString>
#include <QStringList>

namespace AppPaths {
// The resources/ folder (samples/, stacks/), or empty when none is found.
QString resourcesDir();
// resources/samples/transposed_input.convscope, or empty.
QString firstRunSample();
// Every bundled sample project and stack file, for Help > Open sample.
QStringList bundledSamples();
// Autosave file for crash recovery (AppDataLocation).
QString autosavePath();
}  // namespace AppPaths
