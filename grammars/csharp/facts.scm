; acs-lint facts for C#. Vocabulary: server/facts/build.rs.

(invocation_expression
  function: [
    (identifier) @call.callee
    (generic_name (identifier) @call.callee)
    (member_access_expression expression: (_) @call.receiver name: (_) @call.callee)
    (member_access_expression expression: "this" name: (_) @call.callee)
  ]
  arguments: (argument_list) @call.args) @call

(object_creation_expression
  type: (_) @new.callee
  arguments: (argument_list)? @new.args
  initializer: (initializer_expression)? @new.init) @new

; Target-typed `new(...)`: the declared type names what is constructed.
(variable_declaration
  type: (_) @new.callee
  (variable_declarator
    (implicit_object_creation_expression
      (argument_list) @new.args
      (initializer_expression)? @new.init) @new))
(implicit_object_creation_expression
  (argument_list) @new.args
  (initializer_expression)? @new.init) @new

(argument name: (identifier) @arg.name (_) @arg.value) @arg
(argument . (_) @arg.value .) @arg

(anonymous_object_creation_expression) @object
(initializer_expression (assignment_expression left: (identifier) @prop.key right: (_) @prop.value) @prop)

(implicit_array_creation_expression (initializer_expression) @array.items) @array
(array_creation_expression (initializer_expression) @array.items) @array
(collection_expression) @array
(collection_element (_) @wrap.inner) @wrap
(expression_element (_) @wrap.inner) @wrap

[(string_literal) (verbatim_string_literal) (raw_string_literal) (interpolated_string_expression)] @string
(interpolation . (interpolation_brace) . (_) @interp.expr) @interp

(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

(member_access_expression expression: (_) @member.object name: (_) @member.name) @member
(member_access_expression expression: "this" name: (_) @member.name) @member

(parenthesized_expression (_) @wrap.inner) @wrap
(await_expression (_) @wrap.inner) @wrap
(cast_expression value: (_) @wrap.inner) @wrap

(variable_declarator name: (identifier) @binding.name (_) @binding.value) @binding
(assignment_expression left: (identifier) @binding.name right: (_) @binding.value) @binding
(assignment_expression
  left: (member_access_expression expression: (_) @assign.object name: (_) @assign.name)
  right: (_) @assign.value) @assign
(assignment_expression
  left: (member_access_expression expression: "this" name: (_) @assign.name)
  right: (_) @assign.value) @assign
(property_declaration name: (identifier) @binding.name value: (_) @binding.value) @binding

[(integer_literal) (real_literal)] @number

(binary_expression left: (_) @compare.left operator: ["==" "!="] right: (_) @compare.right) @compare
(switch_statement value: (_) @switch.subject) @switch
(switch_section (constant_pattern (_) @case.value) @case)
(switch_expression (_) @switch.subject) @switch
(switch_expression_arm (constant_pattern (_) @case.value) @case)

(comment) @comment

(expression_statement (_) @statement.expr) @statement

[(lambda_expression) (anonymous_method_expression) (local_function_statement) (method_declaration)] @function

(using_directive (qualified_name) @import.module) @import
(using_directive (identifier) @import.module) @import
