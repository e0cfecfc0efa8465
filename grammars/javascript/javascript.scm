
; JavaScript-only patterns.
(field_definition property: (_) @binding.name value: (_) @binding.value) @binding
