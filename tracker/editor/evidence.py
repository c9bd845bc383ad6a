"""Evidence forms: contributors suggest links, editors add and edit them."""
