# case/ (see case/case.h)
