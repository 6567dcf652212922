# Renders one page template to a static file at build time:
#   cmake -DCOUSILAB=... -DVIEWS=... -DNAME=... -DTITLE=... -DOUT=... -P render_page.cmake
file(WRITE ${OUT}.json "{\"title\": \"${TITLE}\"}")
execute_process(
  COMMAND ${COUSILAB} render --views ${VIEWS} ${NAME}
  INPUT_FILE ${OUT}.json
  OUTPUT_FILE ${OUT}
  RESULT_VARIABLE rc)
file(REMOVE ${OUT}.json)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT})
  message(FATAL_ERROR "rendering ${NAME} failed")
endif()
