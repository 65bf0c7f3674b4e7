#pragma once
// Appearance: the light or dark theme, and presenter mode for a projector — larger type and
// stronger contrast (pure black on white, or white on black). Applied to the whole application;
// the views that draw themselves (topology, lanes, charts) also thicken their lines, which the
// window asks of them.
namespace cs::ui {

struct Appearance {
    bool dark = false;
    bool presenter = false;
    friend bool operator==(const Appearance&, const Appearance&) = default;
};

// Sets the Fusion style, the palette and the font size of the running QApplication.
void apply_appearance(const Appearance& appearance);

// Point size of the application font: the desktop's, or 1.6 times it in presenter mode.
double font_point_size(const Appearance& appearance);

}  // namespace cs::ui
